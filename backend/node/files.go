package node

// Invariants:
//   - Every key, secret and credentials file is written with
//     durable.WriteFile, so a crash right after first start never loses the
//     key that decrypts the User's data.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/mefs-project/mefs/backend/internal/durable"
)

// loadOrCreate reads the secret at path (making it mode 0600), or, when it
// does not exist, writes create()'s bytes there durably. It reports whether
// it created the file.
func loadOrCreate(path string, create func() ([]byte, error)) ([]byte, bool, error) {
	b, err := durable.ReadSecret(path)
	if err == nil {
		return b, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	if b, err = create(); err != nil {
		return nil, false, err
	}
	if err := durable.WriteFile(path, b); err != nil {
		return nil, false, err
	}
	return b, true, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// LoadOrCreateSecret reads a random secret of n bytes from path, creating
// it on first use.
func LoadOrCreateSecret(path string, n int) ([]byte, error) {
	b, _, err := loadOrCreate(path, func() ([]byte, error) { return randomBytes(n), nil })
	if err != nil {
		return nil, err
	}
	if len(b) != n {
		return nil, fmt.Errorf("secret %s holds %d bytes, want %d", path, len(b), n)
	}
	return b, nil
}

// loadOrCreateText reads a random hex secret from path, creating it on
// first use.
func loadOrCreateText(path string) (string, error) {
	b, _, err := loadOrCreate(path, func() ([]byte, error) { return []byte(hex.EncodeToString(randomBytes(16))), nil })
	return string(b), err
}

// Credentials are an S3 access key pair.
type Credentials struct {
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

// LoadCredentials returns the S3 root credentials: from the environment
// when MEFS_ACCESS_KEY and MEFS_SECRET_KEY are set, else from path,
// generated and saved there on first use. It reports whether it generated
// them.
func LoadCredentials(path string) (Credentials, bool, error) {
	c := Credentials{AccessKey: os.Getenv("MEFS_ACCESS_KEY"), SecretKey: os.Getenv("MEFS_SECRET_KEY")}
	if c.AccessKey != "" && c.SecretKey != "" {
		return c, false, nil
	}
	b, created, err := loadOrCreate(path, func() ([]byte, error) {
		ak, sk := randomBytes(10), randomBytes(20)
		return json.MarshalIndent(Credentials{AccessKey: "MEFS" + hex.EncodeToString(ak)[:16], SecretKey: hex.EncodeToString(sk)}, "", "  ")
	})
	if err != nil {
		return c, false, err
	}
	if err := json.Unmarshal(b, &c); err != nil || c.AccessKey == "" || c.SecretKey == "" {
		return c, false, fmt.Errorf("credentials file %s is malformed", path)
	}
	return c, created, nil
}

// readKeysFile reads extra S3 access keys: a JSON list of Credentials.
func readKeysFile(path string) ([]Credentials, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read keys file: %w", err)
	}
	var extra []Credentials
	if err := json.Unmarshal(b, &extra); err != nil {
		return nil, fmt.Errorf("parse keys file %s: %w", path, err)
	}
	for _, c := range extra {
		if c.AccessKey == "" || c.SecretKey == "" {
			return nil, fmt.Errorf("keys file %s: an entry lacks access_key or secret_key", path)
		}
	}
	return extra, nil
}

// WriteJSON writes v as indented JSON to path, durably (a node's
// self-description: provider.json, keeper.json).
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return durable.WriteFile(path, b)
}
