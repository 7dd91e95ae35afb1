package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mefs-project/mefs/backend/keeper"
	"github.com/mefs-project/mefs/backend/provider"
)

// parseFlags parses args into fs with, in order of precedence: flags, then
// MEFS_<FLAG> environment variables, then a YAML config file (--config, or
// MEFS_CONFIG) mapping flag names to values, then built-in defaults.
func parseFlags(fs *flag.FlagSet, args []string) error {
	config := fs.String("config", "", "YAML file of flag values (flag name: value); flags and MEFS_* variables win")
	// A first pass finds --config; the file's values become the defaults
	// that the environment and the flags then override.
	probe := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	probe.SetOutput(io.Discard)
	probeConfig := probe.String("config", os.Getenv("MEFS_CONFIG"), "")
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "config" {
			probe.Var(discardValue{isBool(f)}, f.Name, "")
		}
	})
	probe.Parse(args)
	if *probeConfig != "" {
		if err := applyConfigFile(fs, *probeConfig); err != nil {
			return err
		}
		*config = *probeConfig
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		env := "MEFS_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && err == nil {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
		}
	})
	if err != nil {
		return err
	}
	return fs.Parse(args)
}

// parseEC parses "k+m".
func parseEC(s string) (k, m int, err error) {
	a, b, ok := strings.Cut(s, "+")
	if ok {
		k, err = strconv.Atoi(a)
		if err == nil {
			m, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || k < 1 || m < 0 {
		return 0, 0, fmt.Errorf("erasure code %q: want k+m, e.g. 4+2", s)
	}
	return k, m, nil
}

// parseSize parses a byte size such as 1048576, 1MiB, 256KiB or 2GiB.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = v, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("size %q: want a positive number of bytes, KiB, MiB or GiB", s)
	}
	return n * mult, nil
}

// listFlag is a repeatable, comma-separable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// applyConfigFile sets fs's flags from a YAML mapping of flag names to
// values; a list value sets a repeatable flag once per item.
func applyConfigFile(fs *flag.FlagSet, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("parse config %s: %w", path, err)
	}
	for name, v := range m {
		f := fs.Lookup(name)
		if f == nil || name == "config" {
			return fmt.Errorf("config %s: unknown setting %q for mefs %s", path, name, fs.Name())
		}
		vals := []any{v}
		if list, ok := v.([]any); ok {
			vals = list
		}
		for _, item := range vals {
			if err := f.Value.Set(fmt.Sprint(item)); err != nil {
				return fmt.Errorf("config %s: %s: %w", path, name, err)
			}
		}
	}
	return nil
}

// discardValue accepts any flag value (the probe pass only wants --config).
type discardValue struct{ bool bool }

func (discardValue) String() string     { return "" }
func (discardValue) Set(string) error   { return nil }
func (d discardValue) IsBoolFlag() bool { return d.bool }

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseProverFaults parses --test-prover-faults: comma-separated
// "index:drop=fraction" or "index:replay".
func parseProverFaults(s string) (map[int]provider.ProverFaults, error) {
	out := map[int]provider.ProverFaults{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		idx, fault, ok := strings.Cut(item, ":")
		i, err := strconv.Atoi(idx)
		if !ok || err != nil || i < 0 {
			return nil, fmt.Errorf("--test-prover-faults %q: want index:drop=F or index:replay", item)
		}
		f := out[i]
		switch name, val, _ := strings.Cut(fault, "="); name {
		case "replay":
			f.Replay = true
		case "drop":
			if f.DropFraction, err = strconv.ParseFloat(val, 64); err != nil || f.DropFraction <= 0 || f.DropFraction > 1 {
				return nil, fmt.Errorf("--test-prover-faults %q: drop fraction in (0, 1]", item)
			}
		default:
			return nil, fmt.Errorf("--test-prover-faults %q: unknown fault %q", item, name)
		}
		out[i] = f
	}
	return out, nil
}

// parseLyingKeepers parses --test-lying-keepers: comma-separated indexes.
func parseLyingKeepers(s string) (map[int]keeper.Faults, error) {
	out := map[int]keeper.Faults{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		i, err := strconv.Atoi(item)
		if err != nil || i < 0 {
			return nil, fmt.Errorf("--test-lying-keepers %q: want Keeper indexes", item)
		}
		out[i] = keeper.Faults{Lie: true}
	}
	return out, nil
}
