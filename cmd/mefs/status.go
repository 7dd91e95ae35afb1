package main

// mefs status: the admin listener's /status as tables, or as JSON for
// scripts; --watch redraws it.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mefs-project/mefs/backend/node"
)

func runStatus(args []string) error {
	fs := flag.NewFlagSet("status", flag.ExitOnError)
	admin := fs.String("admin", "", "admin address of the running node (host:port or URL; see devnet.json \"admin\")")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	watch := fs.Duration("watch", 0, "redraw every interval (e.g. 2s); 0: once")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *admin == "" {
		return fmt.Errorf("mefs status: --admin is required")
	}
	url := strings.TrimSuffix(*admin, "/")
	if !strings.Contains(url, "://") {
		url = "http://" + url
	}
	for {
		raw, err := fetchStatus(url + "/status")
		if err != nil {
			return err
		}
		if *watch > 0 {
			fmt.Print("\033[H\033[2J") // clear the screen
		}
		if *asJSON {
			os.Stdout.Write(raw)
		} else {
			var st node.Status
			if err := json.Unmarshal(raw, &st); err != nil {
				return fmt.Errorf("decode status from %s: %w", url, err)
			}
			printStatus(os.Stdout, st)
		}
		if *watch <= 0 {
			return nil
		}
		time.Sleep(*watch)
	}
}

func fetchStatus(url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("status request %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get %s: %s", url, resp.Status)
	}
	return raw, nil
}

// printStatus writes st as tables.
func printStatus(out io.Writer, st node.Status) {
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	defer w.Flush()
	fmt.Fprintf(w, "time %s   roles %s\n", st.Time.Format(time.RFC3339), strings.Join(st.Roles, ", "))
	if u := st.User; u != nil {
		fmt.Fprintf(w, "\nUSER\tpeer %s\tS3 %s\tEC %s\tchunk %d\n", u.PeerID, u.S3, u.EC, u.ChunkSize)
		fmt.Fprintf(w, "\trepair queue %d\tgarbage %d\tchunk read latency %s\taccount %s\n", u.RepairQueue, u.Garbage, u.ChunkLatency, u.Account)
		if len(u.StripesByChunks) > 0 {
			fmt.Fprintf(w, "\tstripes by chunks held\t%s\n", formatCounts(u.StripesByChunks))
		}
		if b := u.MetaBackup; b != nil {
			fmt.Fprintf(w, "\tmetadata snapshot %d\tat %s\t%d records, %d bytes\t%s\n", b.Seq, b.Time.Format(time.RFC3339), b.Records, b.Bytes, b.Error)
		}
		if r := u.AtRisk; r != nil {
			fmt.Fprintf(w, "\tobjects at risk (a chunk on a failing or gone Provider)\t%d\t%s\n", r.Count, strings.Join(r.Objects, " "))
		}
		fmt.Fprintln(w, "\nPROVIDER (as the User sees it)\tCONNECTED\tSUSPECT")
		for _, p := range u.Providers {
			fmt.Fprintf(w, "%s\t%v\t%v\n", p.PeerID, p.Connected, p.Suspect)
		}
		if len(u.Orders) > 0 {
			fmt.Fprintln(w, "\nORDER PROVIDER\tSIZE\tPRICE\tEND\tNONCE\tESCROW\tROOT")
			for _, o := range u.Orders {
				fmt.Fprintf(w, "%s\t%d\t%s\t%d\t%d\t%s\t%s\n", o.Provider, o.Size, o.Price, o.End, o.Nonce, o.Escrow, o.Root)
			}
		}
	}
	printNodes(w, "PROVIDER (in this process)", st.Providers)
	printNodes(w, "KEEPER", st.Keepers)
	if len(st.Buckets) > 0 {
		fmt.Fprintln(w, "\nBUCKET\tOWNER\tCREATED")
		for _, b := range st.Buckets {
			fmt.Fprintf(w, "%s\t%s\t%s\n", b.Name, b.Owner, b.Created.Format(time.RFC3339))
		}
	}
	for _, e := range st.Errors {
		fmt.Fprintf(w, "\nerror: %s\n", e)
	}
}

func printNodes(w io.Writer, title string, ns []node.NodeStatus) {
	if len(ns) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\tACCOUNT\tPLEDGE\tCHUNKS\tBYTES\tVERIFICATION\n", title)
	for _, n := range ns {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\n", n.PeerID, n.Account, n.Pledge, n.Chunks, n.Bytes, verification(n))
	}
}

// verification summarises a node's verification state in one cell: a
// Provider's standing, last epochs (epoch:result) and claimed income; a
// Keeper's verdicts, certificates and income.
func verification(n node.NodeStatus) string {
	var parts []string
	if n.Standing != "" {
		parts = append(parts, n.Standing)
	}
	for _, e := range n.Epochs {
		parts = append(parts, fmt.Sprintf("%d:%s", e.Epoch, e.Result))
	}
	if n.Claimed != "" && n.Claimed != "0" {
		parts = append(parts, "claimed "+n.Claimed)
	}
	if a := n.Attested; a != nil {
		parts = append(parts, fmt.Sprintf("epoch %d: %d pass, %d fail, %d certified", a.LastEpoch, a.Passed, a.Failed, a.Certificates))
	}
	if n.Income != "" && n.Income != "0" {
		parts = append(parts, "income "+n.Income)
	}
	return strings.Join(parts, " ")
}

// formatCounts prints a count map as "k:n k:n", keys in numeric order.
func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.Atoi(keys[i])
		b, _ := strconv.Atoi(keys[j])
		return a > b
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+":"+strconv.Itoa(m[k]))
	}
	return strings.Join(parts, " ")
}
