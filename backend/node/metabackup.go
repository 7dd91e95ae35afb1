package node

// Metadata that survives the gateway's disk (docs/metadata.md): a loop
// snapshots the metadata store onto Providers whenever it changed and
// records the snapshot's root on chain; a gateway started with Recover on
// an empty folder rebuilds the store from that root before it serves.
//
// Invariants:
//   - The root on chain always names a snapshot whose chunks are on
//     Providers: a snapshot is recorded before its root goes on chain, and
//     older ones are retired only after (user.SaveMetadata, RetireMetadata).
//   - Recovery runs before the Settler starts, so no order is ever updated
//     from an empty store; it refuses a folder that already holds metadata.
//   - Recovery point: a snapshot is taken at most BackupConfig.Interval after
//     a change, so a lost gateway loses at most the writes of the last
//     interval (plus the time a snapshot takes to store) — or, for a store so
//     large that a snapshot takes more than a tenth of the interval, ten
//     times the last snapshot's duration.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/backend/meta"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/backend/user"
	"github.com/mefs-project/mefs/chain"
)

// BackupConfig paces metadata snapshots.
type BackupConfig struct {
	// Interval is how often a changed metadata store is snapshotted onto
	// Providers (default 1 min; negative: never).
	Interval time.Duration
}

// maxBackupDuty: snapshots begin at least this many times their own
// duration apart.
const maxBackupDuty = 10

// DefaultBackupInterval is BackupConfig.Interval's default.
const DefaultBackupInterval = time.Minute

func (c BackupConfig) withDefaults() BackupConfig {
	if c.Interval == 0 {
		c.Interval = DefaultBackupInterval
	}
	return c
}

// metaChain is what metadata backup and recovery need of the chain.
type metaChain interface {
	Address() common.Address
	SetMetaRoot(ctx context.Context, root []byte) error
	MetaRootOf(ctx context.Context, account common.Address) ([]byte, error)
}

// BackupStatus reports the last metadata snapshot.
type BackupStatus struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	Bytes     int64     `json:"bytes"`
	Records   int64     `json:"records"`
	RootBytes int       `json:"root_bytes"`
	Taken     int       `json:"taken"` // snapshots since start
	Error     string    `json:"error,omitempty"`
}

type metaBackup struct {
	layer *user.Layer
	chain metaChain
	store *meta.Store
	creds Credentials
	cfg   BackupConfig
	log   *slog.Logger

	mu   sync.Mutex
	last BackupStatus
}

// Status is the last snapshot's report.
func (b *metaBackup) Status() BackupStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// run snapshots the store every Interval in which it changed, until ctx ends.
func (b *metaBackup) run(ctx context.Context) {
	if b.cfg.Interval < 0 {
		return
	}
	seq, seen := b.resume(ctx)
	t := time.NewTicker(b.cfg.Interval)
	defer t.Stop()
	var last time.Time     // when the last snapshot began
	var took time.Duration // how long it took
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changes := b.store.Changes()
		if seen != nil && *seen == changes {
			continue
		}
		// A large store takes long to snapshot: spend at most a tenth of
		// the time on it (the recovery point grows with the store instead).
		if time.Since(last) < maxBackupDuty*took {
			continue
		}
		seq++
		last = time.Now()
		err := b.save(ctx, seq)
		took = time.Since(last)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Warn("metadata snapshot failed; will retry", "seq", seq, "err", err)
			}
			b.mu.Lock()
			b.last.Error = err.Error()
			b.mu.Unlock()
			continue
		}
		seen = &changes
	}
}

// resume returns the last snapshot number used, and (when the chain's root
// names the store's newest snapshot) the change count that snapshot covers.
func (b *metaBackup) resume(ctx context.Context) (uint64, *uint64) {
	var seq uint64
	recs, err := b.store.Snapshots()
	if err != nil {
		b.log.Warn("list metadata snapshots", "err", err)
	}
	for _, r := range recs {
		seq = max(seq, r.Seq)
	}
	raw, err := b.chain.MetaRootOf(ctx, b.chain.Address())
	if err != nil || len(raw) == 0 {
		return seq, nil // no root yet (or unreadable): snapshot at once
	}
	root, err := user.ParseMetaRoot(raw)
	if err != nil {
		return seq, nil
	}
	if root.Seq > seq { // the store is older than the chain's root: start past it
		return root.Seq, nil
	}
	if len(recs) > 0 && recs[len(recs)-1].Seq == root.Seq {
		zero := b.store.Changes() // nothing changed since this start
		return seq, &zero
	}
	return seq, nil
}

// save takes snapshot seq, puts its root on chain and retires older ones.
func (b *metaBackup) save(ctx context.Context, seq uint64) error {
	creds, err := json.Marshal(b.creds)
	if err != nil {
		return err
	}
	saved, err := b.layer.SaveMetadata(ctx, seq, map[string][]byte{credentialsFile: creds})
	if err != nil {
		return err
	}
	root := saved.Root.Marshal()
	if err := b.chain.SetMetaRoot(ctx, root); err != nil {
		return fmt.Errorf("record metadata root %d on chain: %w", seq, err)
	}
	if err := b.layer.RetireMetadata(seq); err != nil {
		return err
	}
	b.mu.Lock()
	b.last = BackupStatus{Seq: seq, Time: time.Now().UTC(), Bytes: saved.Bytes, Records: saved.Records, RootBytes: len(root), Taken: b.last.Taken + 1}
	b.mu.Unlock()
	b.log.Info("metadata snapshot", "seq", seq, "records", saved.Records, "bytes", saved.Bytes, "root_bytes", len(root))
	return nil
}

// credentialsFile names the S3 root credentials in a gateway folder and in a
// snapshot's files.
const credentialsFile = "credentials.json"

// ErrNoMetaRoot reports a recovery with no metadata root on chain.
var ErrNoMetaRoot = errors.New("no metadata snapshot recorded on chain for this wallet")

// recoverMetadata rebuilds an empty store from the chain's metadata root,
// when the User was started with Recover.
func (u *User) recoverMetadata(ctx context.Context) error {
	cfg := u.cfg
	if !cfg.Recover {
		return nil
	}
	if cfg.Chain == nil {
		return errors.New("recovery reads the metadata root on chain: give --chain")
	}
	if !u.fresh {
		return fmt.Errorf("recover: %s already holds metadata; recover into an empty folder", filepath.Join(cfg.Dir, "meta"))
	}
	// The wallet's registration names this host's peer id before any
	// Provider is asked for a chunk.
	if err := ensureRegistered(ctx, cfg.Chain, chain.RoleUser, u.Host.Peerstore().PrivKey(u.Host.ID()), p2p.FullAddrs(u.Host), nil, cfg.Log); err != nil {
		return err
	}
	raw, err := cfg.Chain.MetaRootOf(ctx, cfg.Chain.Address())
	if err != nil {
		return fmt.Errorf("read metadata root: %w", err)
	}
	if len(raw) == 0 {
		return fmt.Errorf("recover account %s: %w", cfg.Chain.Address(), ErrNoMetaRoot)
	}
	root, err := user.ParseMetaRoot(raw)
	if err != nil {
		return err
	}
	files, err := u.restore(ctx, root)
	if err != nil {
		return err
	}
	return u.restoreCredentials(files[credentialsFile])
}

// restore reads the snapshot root names from the registered Providers.
func (u *User) restore(ctx context.Context, root user.MetaRoot) (map[string][]byte, error) {
	nodes, err := u.cfg.Chain.Providers(ctx)
	if err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	net := &p2p.Client{Host: u.Host}
	var ids []peer.ID
	for _, n := range nodes {
		if id, err := peer.Decode(n.PeerID); err == nil {
			net.Learn(id, n.Addrs)
			ids = append(ids, id)
		}
	}
	master, err := u.masterKey()
	if err != nil {
		return nil, err
	}
	l, err := user.New(user.Config{K: root.K, M: root.M, ChunkSize: u.cfg.ChunkSize, MasterKey: master},
		u.Store, net, user.NewFixed(ids), u.cfg.Log)
	if err != nil {
		return nil, err
	}
	return l.RestoreMetadata(ctx, root)
}

// restoreCredentials writes the snapshot's S3 root credentials into the new
// folder (unless it has its own) and uses them when none were given.
func (u *User) restoreCredentials(b []byte) error {
	path := filepath.Join(u.cfg.Dir, credentialsFile)
	if len(b) > 0 {
		var c Credentials
		if err := json.Unmarshal(b, &c); err != nil || c.AccessKey == "" {
			return fmt.Errorf("snapshot's credentials are malformed: %v", err)
		}
		if err := durable.WriteFile(path, b); err != nil {
			return fmt.Errorf("write restored credentials: %w", err)
		}
	}
	if u.cfg.Creds.AccessKey != "" {
		return nil
	}
	c, _, err := LoadCredentials(path)
	u.cfg.Creds = c
	return err
}
