package node

import (
	"time"
)

// Status is a snapshot of a running node for `mefs status`, the console
// and the admin listener's /status. Fields of roles the node does not run
// are empty.
type Status struct {
	Time  time.Time `json:"time"`
	Roles []string  `json:"roles"`
	// User is the gateway's side: coding, Providers and their health,
	// queues, orders.
	User *UserStatus `json:"user,omitempty"`
	// Providers and Keepers run in this process (a devnet).
	Providers []NodeStatus `json:"providers,omitempty"`
	Keepers   []NodeStatus `json:"keepers,omitempty"`
	// Buckets are the gateway's buckets.
	Buckets []BucketStatus `json:"buckets,omitempty"`
	// Errors lists what could not be read (e.g. the chain unreachable).
	Errors []string `json:"errors,omitempty"`
}

// UserStatus is the User role's part of Status.
type UserStatus struct {
	PeerID      string           `json:"peer_id"`
	Account     string           `json:"account,omitempty"`
	S3          string           `json:"s3"`
	EC          string           `json:"ec"`
	ChunkSize   int              `json:"chunk_size"`
	Providers   []ProviderHealth `json:"providers"`
	RepairQueue int              `json:"repair_queue"`
	// RepairByMargin: queued objects by the further chunk losses their
	// worst stripe survives ("0" is one loss from data loss).
	RepairByMargin map[string]int `json:"repair_by_margin,omitempty"`
	// StripesByChunks counts stripes by their chunks on Providers that
	// are not gone ("6" is full redundancy in 4+2; below "4" is lost).
	StripesByChunks map[string]int `json:"stripes_by_chunks,omitempty"`
	RepairedChunks  int64          `json:"repaired_chunks"`
	RepairedBytes   int64          `json:"repaired_bytes"`
	Garbage         int            `json:"garbage"`
	ChunkLatency    string         `json:"chunk_read_latency"`
	Orders          []OrderStatus  `json:"orders,omitempty"`
	// MetaBackup is the last metadata snapshot stored on Providers (with
	// settlement only).
	MetaBackup *BackupStatus `json:"meta_backup,omitempty"`
	// AtRisk lists objects holding a chunk on a Provider failing (a failed
	// epoch, a slash, repeated failures) or gone: what repair works on.
	AtRisk *AtRiskStatus `json:"objects_at_risk,omitempty"`
}

// AtRiskStatus is UserStatus.AtRisk: every such object counted, the first
// atRiskListed named ("bucket/key").
type AtRiskStatus struct {
	Count   int      `json:"count"`
	Objects []string `json:"objects"`
}

// atRiskListed is how many objects at risk a status names.
const atRiskListed = 20

// ProviderHealth is one Provider as the User sees it.
type ProviderHealth struct {
	PeerID    string `json:"peer_id"`
	Connected bool   `json:"connected"`
	Suspect   bool   `json:"suspect"`
	// Health is healthy, suspect, failing or gone; Reason why it is failing
	// (failure evidence from verification), if any.
	Health string `json:"health,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// OrderStatus is the User's order with one Provider, as on chain.
type OrderStatus struct {
	Provider string `json:"provider"`
	Account  string `json:"account"`
	Size     uint64 `json:"size"`
	Price    string `json:"price"`
	End      uint64 `json:"end_epoch"`
	Root     string `json:"root"`
	Nonce    uint64 `json:"nonce"`
	Escrow   string `json:"escrow"`
}

// NodeStatus is a Provider or Keeper running in this process.
type NodeStatus struct {
	PeerID  string   `json:"peer_id"`
	Account string   `json:"account,omitempty"`
	Addrs   []string `json:"addrs,omitempty"`
	Pledge  string   `json:"pledge,omitempty"`
	// Chunks and Bytes are what a Provider stores (all Users).
	Chunks int   `json:"chunks,omitempty"`
	Bytes  int64 `json:"bytes,omitempty"`
	// Verification: a Provider's standing and its last epochs'
	// certificates, the income it claimed; a Keeper's attestations and
	// certificates, its certificate income.
	Standing string        `json:"standing,omitempty"`
	Epochs   []EpochResult `json:"epochs,omitempty"`
	Claimed  string        `json:"claimed,omitempty"`
	Attested *Attested     `json:"attested,omitempty"`
	Income   string        `json:"keeper_income,omitempty"`
}

// EpochResult is one epoch's certificate of a Provider: none, passed,
// failed or claimed.
type EpochResult struct {
	Epoch  uint64 `json:"epoch"`
	Result string `json:"result"`
}

// Attested counts a Keeper's verdicts since start.
type Attested struct {
	LastEpoch    uint64 `json:"last_epoch"`
	Passed       int64  `json:"passed"`
	Failed       int64  `json:"failed"`
	Certificates int64  `json:"certificates_submitted"`
}
