// Command sidebyside runs the same S3 workloads against a MEFS devnet and a
// MinIO server, interleaved over several rounds, and prints one markdown
// table: throughput, p50/p99 latency, server CPU per operation and server
// peak RSS per side, and the MEFS/MinIO ratio. test/sidebyside.sh starts both
// servers and calls it; `make bench` calls that.
//
// Invariants: both sides get the identical client (aws-sdk-go-v2 with
// LoadDefaultConfig, so default checksums: CRC32 header plus signed SHA-256
// payload over HTTP), the identical object bytes and keys, and the same
// concurrency; within a round the side that goes first alternates, so a
// slow phase of the machine does not favour one side. Server CPU is read from
// /proc/<pid>/stat (utime+stime) around each run, so it counts every thread
// of the server process and nothing of the client.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// side is one server under test.
type side struct {
	Name string
	PID  int
	cl   *s3.Client
}

func main() {
	devnet := flag.String("mefs-devnet", "", "path of the MEFS devnet.json (endpoint and keys)")
	mefsPID := flag.Int("mefs-pid", 0, "pid of the MEFS devnet process")
	minioURL := flag.String("minio", "", "MinIO endpoint, http://host:port")
	minioKey := flag.String("minio-key", "", "MinIO access key:secret key")
	minioPID := flag.Int("minio-pid", 0, "pid of the MinIO server process")
	rounds := flag.Int("rounds", 3, "rounds of every workload on both sides")
	scale := flag.Float64("scale", 1, "multiplies every workload's object count (0.1 for a quick check)")
	only := flag.String("only", "", "run only workloads whose name contains this")
	flag.Parse()
	if err := run(*devnet, *mefsPID, *minioURL, *minioKey, *minioPID, *rounds, *scale, *only); err != nil {
		fmt.Fprintln(os.Stderr, "sidebyside:", err)
		os.Exit(1)
	}
}

func run(devnet string, mefsPID int, minioURL, minioKey string, minioPID, rounds int, scale float64, only string) error {
	os.Unsetenv("AWS_CA_BUNDLE") // breaks LoadDefaultConfig with a custom client
	b, err := os.ReadFile(devnet)
	if err != nil {
		return fmt.Errorf("read devnet info: %w", err)
	}
	var info struct {
		S3        string `json:"s3"`
		AccessKey string `json:"access_key"`
		SecretKey string `json:"secret_key"`
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return fmt.Errorf("parse %s: %w", devnet, err)
	}
	ak, sk, ok := strings.Cut(minioKey, ":")
	if !ok {
		return fmt.Errorf("-minio-key %q: want access:secret", minioKey)
	}
	ctx := context.Background()
	sides := []*side{{Name: "MEFS", PID: mefsPID}, {Name: "MinIO", PID: minioPID}}
	for i, s := range sides {
		endpoint, key, secret := info.S3, info.AccessKey, info.SecretKey
		if i == 1 {
			endpoint, key, secret = minioURL, ak, sk
		}
		if s.cl, err = client(ctx, endpoint, key, secret); err != nil {
			return err
		}
		if _, err := s.cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(benchBucket)}); err != nil &&
			!strings.Contains(err.Error(), "BucketAlreadyOwnedByYou") {
			return fmt.Errorf("%s: create bucket: %w", s.Name, err)
		}
	}
	res := map[string]map[string][]result{}
	var order []string
	for r := range rounds {
		for _, w := range workloads(scale) {
			if only != "" && !strings.Contains(w.Name, only) {
				continue
			}
			for j := range sides {
				s := sides[(j+r)%2]
				got, err := w.run(ctx, s, r)
				if err != nil {
					return fmt.Errorf("round %d, %s on %s: %w", r, w.Name, s.Name, err)
				}
				for _, g := range got {
					if res[g.Name] == nil {
						res[g.Name] = map[string][]result{}
						order = append(order, g.Name)
					}
					res[g.Name][s.Name] = append(res[g.Name][s.Name], g)
					fmt.Fprintf(os.Stderr, "round %d %-6s %-22s %s\n", r, s.Name, g.Name, g)
				}
			}
		}
	}
	printTable(os.Stdout, order, res, sides)
	return nil
}

func client(ctx context.Context, endpoint, ak, sk string) (*s3.Client, error) {
	// Enough idle connections for the highest concurrency (32), so neither
	// server pays for connection churn.
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) { t.MaxIdleConnsPerHost = 64 })
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"), config.WithHTTPClient(hc),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(ak, sk, "")))
	if err != nil {
		return nil, fmt.Errorf("aws config: %w", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	}), nil
}
