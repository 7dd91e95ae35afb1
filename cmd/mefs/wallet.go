package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/mefs-project/mefs/backend/node"
	"github.com/mefs-project/mefs/chain"
)

const walletUsage = `usage: mefs wallet <command> [flags]

  new                      create an account in the keystore
  import <hex key>         import a private key (or --key-file) into the keystore
  address                  print the account's address
  balance                  MEMO balance, deposit, and gas coin balance (needs --chain)
  faucet                   draw 10 MEMO from a devnet token's faucet (needs --chain)
  deposit <MEMO>           move MEMO into the User deposit (needs --chain)
  withdraw <MEMO>          take free deposit back (needs --chain)

Flags (all commands): --wallet DIR (default mefs-wallet), --account, --password-file,
--chain URL, --contracts token,registry,settlement|devnet.json. The password may also
come from $MEFS_WALLET_PASSWORD.
`

func runWallet(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, walletUsage)
		return errors.New("wallet: a command is required")
	}
	cmd, args := args[0], args[1:]
	// The command's one argument (a key or an amount) may come before the flags.
	var arg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		arg, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("wallet "+cmd, flag.ExitOnError)
	fs.Usage = func() { fmt.Fprint(os.Stderr, walletUsage) }
	var cf chainFlags
	cf.register(fs, "mefs-wallet")
	keyFile := fs.String("key-file", "", "import: file holding the hex private key")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if arg == "" {
		arg = fs.Arg(0)
	}
	w := chain.OpenWallet(cf.WalletDir)
	ctx := context.Background()
	log := newLogger("warn")
	switch cmd {
	case "new":
		pw, err := cf.password(true)
		if err != nil {
			return err
		}
		a, err := w.New(pw)
		if err != nil {
			return err
		}
		fmt.Printf("%s\n  keystore file: %s\n", a.Address.Hex(), a.Path)
		return nil
	case "import":
		hexKey := arg
		if *keyFile != "" {
			b, err := os.ReadFile(*keyFile)
			if err != nil {
				return fmt.Errorf("read key file: %w", err)
			}
			hexKey = string(b)
		}
		if hexKey == "" {
			return errors.New("wallet import: give the hex key or --key-file")
		}
		pw, err := cf.password(true)
		if err != nil {
			return err
		}
		a, err := w.ImportHex(hexKey, pw)
		if err != nil {
			return err
		}
		fmt.Println(a.Address.Hex())
		return nil
	case "address":
		accts, err := w.List()
		if err != nil {
			return err
		}
		if len(accts) == 0 {
			return fmt.Errorf("no account in keystore %s", cf.WalletDir)
		}
		for _, a := range accts {
			if cf.Account == "" || a.Address.Hex() == cf.Account {
				fmt.Println(a.Address.Hex())
			}
		}
		return nil
	case "balance", "faucet", "deposit", "withdraw":
	default:
		fmt.Fprint(os.Stderr, walletUsage)
		return fmt.Errorf("wallet: unknown command %q", cmd)
	}
	if !cf.enabled() {
		return fmt.Errorf("wallet %s needs --chain and --contracts", cmd)
	}
	c, _, err := cf.dial(ctx, false, log)
	if err != nil {
		return err
	}
	defer c.Close()
	switch cmd {
	case "balance":
		bal, err := c.Balance(ctx, c.Address())
		if err != nil {
			return err
		}
		dep, err := c.DepositOf(ctx, c.Address())
		if err != nil {
			return err
		}
		gas, err := c.GasBalance(ctx, c.Address())
		if err != nil {
			return err
		}
		fmt.Printf("account:  %s\nMEMO:     %s\ndeposit:  %s free, %s locked in orders\ngas coin: %s wei\n",
			c.Address().Hex(), chain.FormatMEMO(bal), chain.FormatMEMO(dep.Free), chain.FormatMEMO(dep.Locked), gas)
	case "faucet":
		if err := c.Faucet(ctx); err != nil {
			return err
		}
		bal, err := c.Balance(ctx, c.Address())
		if err != nil {
			return err
		}
		fmt.Printf("MEMO: %s\n", chain.FormatMEMO(bal))
	case "deposit", "withdraw":
		amt, err := node.ParseMEMO(arg)
		if err != nil {
			return err
		}
		if cmd == "deposit" {
			err = c.Deposit(ctx, amt)
		} else {
			err = c.Withdraw(ctx, amt)
		}
		if err != nil {
			return err
		}
		dep, err := c.DepositOf(ctx, c.Address())
		if err != nil {
			return err
		}
		fmt.Printf("deposit: %s free, %s locked\n", chain.FormatMEMO(dep.Free), chain.FormatMEMO(dep.Locked))
	}
	return nil
}
