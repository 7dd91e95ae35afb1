// Package durable writes small files so that a crash never leaves them
// missing, empty or torn.
package durable

// Invariants:
//   - WriteFile writes to a temporary file in the target's folder, fsyncs
//     it, renames it over the target and fsyncs the folder; the file has mode
//     0600 whether or not it existed before. A reader sees the old content or
//     the new, never a mix, and after WriteFile returns the new content
//     survives a crash.
//   - MkdirAll fsyncs the folder holding each folder it creates, so a
//     created folder (and what is then written durably inside it) survives
//     a crash. MkdirAllUnsynced leaves those fsyncs to its caller
//     (SyncCreated), who must run them before anything written inside
//     counts as durable.
//   - ReadSecret never leaves a secret readable by group or others.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes b to path durably.
func WriteFile(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := MkdirAll(dir); err != nil {
		return fmt.Errorf("create folder of %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op once renamed
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// MkdirAll creates dir and its missing parents with mode 0700, fsyncing
// the folder that holds each one it creates.
func MkdirAll(dir string) error {
	created, err := MkdirAllUnsynced(dir)
	if err != nil {
		return err
	}
	return SyncCreated(created)
}

// MkdirAllUnsynced creates dir and its missing parents with mode 0700 and
// returns the folders it created, deepest first. They may be used at once,
// but survive a crash only once SyncCreated(created) has returned nil.
func MkdirAllUnsynced(dir string) (created []string, err error) {
	dir = filepath.Clean(dir)
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		_, err := os.Stat(d)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("create folder %s: %w", dir, err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create folder %s: %w", dir, err)
	}
	return missing, nil
}

// SyncCreated makes the folders MkdirAllUnsynced created durable: it
// fsyncs the folder holding each, deepest first.
func SyncCreated(created []string) error {
	for _, d := range created {
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

// ReadSecret reads the secret at path, first making it mode 0600 if group
// or others could read it. A missing file is an error wrapping
// fs.ErrNotExist.
func ReadSecret(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("restrict mode of %s: %w", path, err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}
