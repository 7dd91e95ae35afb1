// Command mefs runs the MEFS roles: an embedded devnet, a gateway (User), and
// a Provider. Each subcommand is a thin layer of flags over the libraries.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/mefs-project/mefs/backend/procs"
)

const usage = `mefs: the MEmo File System

usage:
  mefs devnet   [flags]   run Providers and the S3 gateway in one process
  mefs gateway  [flags]   run the S3 gateway (the User role)
  mefs provider [flags]   run a Provider
  mefs keeper   [flags]   run a Keeper (registers and pledges on chain)
  mefs deploy   [flags]   deploy the token, Registry and Settlement contracts
  mefs wallet   <cmd>     keystore accounts and MEMO: new, import, address,
                          balance, faucet, deposit, withdraw
  mefs status   [flags]   show a running node's status (tables, --json, --watch)
  mefs version

Run "mefs <command> -h" for a command's flags. Every flag may also be set as
MEFS_<FLAG> in the environment (dashes become underscores); flags win.
`

var version = "dev"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "devnet":
		governProcs()
		err = runDevnet(args)
	case "gateway":
		err = runGateway(args)
	case "provider":
		governProcs()
		err = runProvider(args)
	case "keeper":
		err = runKeeper(args)
	case "wallet":
		err = runWallet(args)
	case "deploy":
		err = runDeploy(args)
	case "status":
		err = runStatus(args)
	case "version":
		fmt.Println("mefs", version)
	case "-h", "--help", "help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "mefs: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		slog.Error("mefs "+cmd+" failed", "err", err)
		os.Exit(1)
	}
}

// governProcs runs procs.Default (a few more Ps while a Provider writes
// chunks), unless GOMAXPROCS is set in the environment.
func governProcs() {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	go procs.Default.Run(context.Background())
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
