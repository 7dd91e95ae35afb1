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

// walletCmd is one wallet subcommand: its argument, flags and keystore.
type walletCmd struct {
	arg     string
	keyFile string
	// withdraw: the deposit command moves MEMO out of the deposit.
	withdraw bool
	cf       chainFlags
	w        *chain.Wallet
}

// walletLocal are the subcommands that need only the keystore; walletChain
// those that also need the chain.
var (
	walletLocal = map[string]func(*walletCmd) error{
		"new": (*walletCmd).newAccount, "import": (*walletCmd).importKey, "address": (*walletCmd).address,
	}
	walletChain = map[string]func(context.Context, *walletCmd, chain.Client) error{
		"balance": walletBalance, "faucet": walletFaucet, "deposit": walletMoveDeposit, "withdraw": walletMoveDeposit,
	}
)

func runWallet(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, walletUsage)
		return errors.New("wallet: a command is required")
	}
	name, args := args[0], args[1:]
	local, chainCmd := walletLocal[name], walletChain[name]
	if local == nil && chainCmd == nil {
		fmt.Fprint(os.Stderr, walletUsage)
		return fmt.Errorf("wallet: unknown command %q", name)
	}
	c, err := parseWalletFlags(name, args)
	if err != nil {
		return err
	}
	if local != nil {
		return local(c)
	}
	if !c.cf.enabled() {
		return fmt.Errorf("wallet %s needs --chain and --contracts", name)
	}
	ctx := context.Background()
	client, _, err := c.cf.dial(ctx, false, newLogger("warn"))
	if err != nil {
		return err
	}
	defer client.Close()
	c.withdraw = name == "withdraw"
	bar := startProgress("wallet " + name + ": waiting for the chain")
	err = chainCmd(ctx, c, client)
	bar.Stop()
	return err
}

// parseWalletFlags parses a subcommand's flags; its one argument (a key or
// an amount) may come before them.
func parseWalletFlags(name string, args []string) (*walletCmd, error) {
	c := &walletCmd{}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c.arg, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("wallet "+name, flag.ExitOnError)
	fs.Usage = func() { fmt.Fprint(os.Stderr, walletUsage) }
	c.cf.register(fs, "mefs-wallet")
	fs.StringVar(&c.keyFile, "key-file", "", "import: file holding the hex private key")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if c.arg == "" {
		c.arg = fs.Arg(0)
	}
	c.w = chain.OpenWallet(c.cf.WalletDir)
	return c, nil
}

func (c *walletCmd) newAccount() error {
	pw, err := c.cf.password(true)
	if err != nil {
		return err
	}
	a, err := c.w.New(pw)
	if err != nil {
		return err
	}
	fmt.Printf("%s\n  keystore file: %s\n", a.Address.Hex(), a.Path)
	return nil
}

func (c *walletCmd) importKey() error {
	hexKey := c.arg
	if c.keyFile != "" {
		b, err := os.ReadFile(c.keyFile)
		if err != nil {
			return fmt.Errorf("read key file: %w", err)
		}
		hexKey = string(b)
	}
	if hexKey == "" {
		return errors.New("wallet import: give the hex key or --key-file")
	}
	pw, err := c.cf.password(true)
	if err != nil {
		return err
	}
	a, err := c.w.ImportHex(hexKey, pw)
	if err != nil {
		return err
	}
	fmt.Println(a.Address.Hex())
	return nil
}

func (c *walletCmd) address() error {
	accts, err := c.w.List()
	if err != nil {
		return err
	}
	if len(accts) == 0 {
		return fmt.Errorf("no account in keystore %s", c.cf.WalletDir)
	}
	for _, a := range accts {
		if c.cf.Account == "" || a.Address.Hex() == c.cf.Account {
			fmt.Println(a.Address.Hex())
		}
	}
	return nil
}

func walletBalance(ctx context.Context, _ *walletCmd, c chain.Client) error {
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
	return nil
}

func walletFaucet(ctx context.Context, _ *walletCmd, c chain.Client) error {
	if err := c.Faucet(ctx); err != nil {
		return err
	}
	bal, err := c.Balance(ctx, c.Address())
	if err != nil {
		return err
	}
	fmt.Printf("MEMO: %s\n", chain.FormatMEMO(bal))
	return nil
}

// walletMoveDeposit deposits, or withdraws, cmd.arg MEMO.
func walletMoveDeposit(ctx context.Context, cmd *walletCmd, c chain.Client) error {
	amt, err := node.ParseMEMO(cmd.arg)
	if err != nil {
		return err
	}
	if cmd.withdraw {
		err = c.Withdraw(ctx, amt)
	} else {
		err = c.Deposit(ctx, amt)
	}
	if err != nil {
		return err
	}
	dep, err := c.DepositOf(ctx, c.Address())
	if err != nil {
		return err
	}
	fmt.Printf("deposit: %s free, %s locked\n", chain.FormatMEMO(dep.Free), chain.FormatMEMO(dep.Locked))
	return nil
}
