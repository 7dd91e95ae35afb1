package user

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/p2p"
	"github.com/mefs-project/mefs/erasure"
	"github.com/mefs-project/mefs/gateway"
)

func TestDegradedReads(t *testing.T) {
	c := newCluster(t, 6)
	big := randData(7, 1<<20+7)
	small := randData(8, 100)
	c.put("big", big)
	c.put("small", small)
	rng := fmt.Sprintf("bytes=%d-%d", testStripe-50, 2*testStripe+50)
	wantRange := big[testStripe-50 : 2*testStripe+51]

	c.stopProvider(1)
	c.stopProvider(4)
	for key, want := range map[string][]byte{"big": big, "small": small} {
		got, err := c.get(key, "")
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s with %d Providers down: %d bytes, equal=%v, %v", key, testM, len(got), bytes.Equal(got, want), err)
		}
	}
	if got, err := c.get("big", rng); err != nil || !bytes.Equal(got, wantRange) {
		t.Fatalf("range with %d Providers down: %d bytes, %v", testM, len(got), err)
	}

	c.stopProvider(0)
	for key, want := range map[string][]byte{"big": big, "small": small} {
		got, err := c.get(key, "")
		if err == nil {
			t.Fatalf("%s with %d Providers down: read %d bytes without error", key, testM+1, len(got))
		}
		if !errors.Is(err, erasure.ErrTooFewChunks) {
			t.Errorf("%s with %d Providers down: %v, want ErrTooFewChunks", key, testM+1, err)
		}
		if len(got) >= len(want) || !bytes.Equal(got, want[:len(got)]) {
			t.Fatalf("%s: a failed read returned %d bytes that are not a proper prefix of the object", key, len(got))
		}
	}
	if got, err := c.get("big", rng); err == nil || !bytes.Equal(got, wantRange[:len(got)]) {
		t.Fatalf("range with %d Providers down: %d bytes, %v", testM+1, len(got), err)
	}
}

func TestPutUsesSpareProvider(t *testing.T) {
	c := newCluster(t, 7)
	c.stopProvider(2)
	data := randData(9, 3*testStripe+11)
	c.put("k", data)
	lay, err := c.meta.Layout(c.objectID("k"))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(lay.Providers, c.ids[2].String()) {
		t.Fatalf("layout places chunks on the stopped Provider: %v", lay.Providers)
	}
	for _, st := range lay.Stripes {
		seen := map[uint16]bool{}
		for _, p := range st.Providers {
			if seen[p] {
				t.Fatalf("a stripe has two chunks on one Provider: %v", st.Providers)
			}
			seen[p] = true
		}
	}
	if got := c.chunksOf(memo.DataOf(c.objectID("k"))); got != stripesOf(len(data))*(testK+testM) {
		t.Fatalf("%d chunk files, want %d", got, stripesOf(len(data))*(testK+testM))
	}
	if got, err := c.get("k", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %d bytes, %v", len(got), err)
	}
}

func TestPutFailsWithoutEnoughProviders(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	// 4 of 6 up: below the write quorum (k+m-1 = 5).
	c.stopProvider(4)
	c.stopProvider(5)
	// One stripe: every chunk put has finished when the PUT fails (see
	// TestAbortedPutLeavesNoOrphan for several stripes).
	data := randData(10, testStripe/2)
	_, err := c.layer.PutObject(context.Background(), "bkt", "k",
		gateway.NewPutReader(bytes.NewReader(data), int64(len(data)), nil), gateway.PutOptions{})
	if err == nil {
		t.Fatal("PutObject succeeded with only 4 of 6 Providers up, below the write quorum of 5")
	}
	if !errors.Is(err, errNoProviders) {
		t.Errorf("PutObject with too few Providers: %v, want errNoProviders", err)
	}
	if _, err := c.layer.ObjectInfo(context.Background(), "bkt", "k", ""); !errors.Is(err, gateway.ErrNoSuchKey) {
		t.Fatalf("ObjectInfo after a failed put: %v", err)
	}
	waitFor(t, "chunks of the failed put to be collected from the running Providers", func() bool {
		return len(c.files(true)) == 0
	})
}

// settlingReader yields data, then before reporting its end waits until the
// chunks of every full stripe already read are on the Providers, so the
// PUT fails with no chunk put in flight.
type settlingReader struct {
	c    *cluster
	r    *bytes.Reader
	full int // full stripes in data
}

func (s *settlingReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF && s.full > 0 {
		waitFor(s.c.t, "the stripes sent so far to be stored", func() bool {
			in, err := s.c.meta.Intents()
			return err == nil && len(in) == 1 && s.c.chunksOf(in[0].ID) == s.full*(testK+testM)
		})
	}
	return n, err
}

func TestShortBodyIsAbortedAndCollected(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	ctx := context.Background()
	for i, tc := range []struct{ declared, actual int }{
		{100, 50},
		{3*testStripe + 10, 2*testStripe + 100},
		{2 * testStripe, 2*testStripe - 1},
		{testStripe + 1, testStripe},
		{50, 100}, // longer than declared
	} {
		key := fmt.Sprintf("short-%d", i)
		data := randData(uint64(i), tc.actual)
		body := &settlingReader{c: c, r: bytes.NewReader(data)}
		if tc.actual < tc.declared {
			body.full = tc.actual / testStripe
		}
		_, err := c.layer.PutObject(ctx, "bkt", key, gateway.NewPutReader(body, int64(tc.declared), nil), gateway.PutOptions{})
		if err == nil {
			t.Fatalf("PutObject of %d bytes declared as %d succeeded", tc.actual, tc.declared)
		}
		if !errors.Is(err, gateway.ErrIncompleteBody) {
			t.Errorf("PutObject of %d bytes declared as %d: %v, want ErrIncompleteBody", tc.actual, tc.declared, err)
		}
		if _, err := c.layer.ObjectInfo(ctx, "bkt", key, ""); !errors.Is(err, gateway.ErrNoSuchKey) {
			t.Fatalf("ObjectInfo after a short put: %v, want ErrNoSuchKey", err)
		}
		waitFor(t, fmt.Sprintf("chunks of short put %d to be collected", i), func() bool {
			return len(c.files(false)) == 0 && c.noGarbage()
		})
	}
	res, err := c.layer.ListObjects(ctx, "bkt", gateway.ListOptions{MaxKeys: 100})
	if err != nil || len(res.Objects) != 0 {
		t.Fatalf("ListObjects after short puts: %+v, %v", res, err)
	}
}

// TestAbortedPutLeavesNoOrphan fails a PUT while a chunk put it abandoned is
// still being handled by a Provider that has received the chunk: once the
// PUT's garbage is collected, the late write must not leave a chunk that no
// record refers to. The gate stands for a Provider slowed down between
// reading a chunk and storing it (disk, scheduling); without it the
// orphan shows up now and then in a loop of short multi-stripe PUTs.
func TestAbortedPutLeavesNoOrphan(t *testing.T) {
	c := newCluster(t, 6)
	// Provider 0 serves the chunk protocol like provider.Provider, except
	// that it holds stripe 0's chunk between reading and storing it.
	received, gate, stored := make(chan struct{}), make(chan struct{}), make(chan struct{})
	store := c.stores[0]
	c.provHosts[0].SetStreamHandler(p2p.ProtocolID, func(s network.Stream) {
		defer s.Close()
		req, err := p2p.ReadRequest(s)
		if err != nil {
			s.Reset()
			return
		}
		switch req.Op {
		case p2p.OpPut:
			data := make([]byte, req.Size)
			if _, err := io.ReadFull(s, data); err != nil {
				s.Reset()
				return
			}
			if req.Chunk.Stripe == 0 {
				close(received)
				<-gate
			}
			err := store.Put(req.Chunk, req.Root, data)
			if req.Chunk.Stripe == 0 {
				close(stored)
			}
			if err != nil {
				p2p.WriteResponse(s, p2p.StatusError, 0, err.Error())
				return
			}
			p2p.WriteResponse(s, p2p.StatusOK, 0, "")
		case p2p.OpDeleteObject:
			if err := store.DeleteObject(req.Chunk.Data); err != nil {
				p2p.WriteResponse(s, p2p.StatusError, 0, err.Error())
				return
			}
			p2p.WriteResponse(s, p2p.StatusOK, 0, "")
		default:
			s.Reset()
		}
	})
	c.run()

	data := randData(15, testStripe+10)
	pr, pw := io.Pipe()
	res := make(chan error, 1)
	go func() {
		_, err := c.layer.PutObject(context.Background(), "bkt", "k",
			gateway.NewPutReader(pr, int64(len(data))+100, nil), gateway.PutOptions{})
		res <- err
	}()
	if _, err := pw.Write(data); err != nil {
		t.Fatal(err)
	}
	var id erasure.DataID
	waitFor(t, "the upload intent", func() bool {
		in, err := c.meta.Intents()
		if err != nil || len(in) != 1 {
			return false
		}
		id = in[0].ID
		return true
	})
	select {
	case <-received:
	case <-time.After(15 * time.Second):
		t.Fatal("provider 0 never received its chunk of stripe 0")
	}
	pw.Close() // the body ends short: the PUT fails
	if err := <-res; err == nil {
		t.Fatal("a short PUT succeeded")
	}
	waitFor(t, "the failed PUT's garbage to be collected", c.noGarbage)
	close(gate)
	<-stored
	if n := c.chunksOf(id); n != 0 {
		t.Fatalf("%d chunk(s) of the failed PUT %s remain on Providers, and no record refers to them", n, id)
	}
}

func TestGarbageRetriedWhenProviderReturns(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	c.put("k", randData(13, 1000))
	id := memo.DataOf(c.objectID("k"))
	c.stopProvider(3)
	if _, err := c.layer.DeleteObject(context.Background(), "bkt", "k", gateway.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h := hex.EncodeToString(id[:])
	waitFor(t, "chunks on running Providers to be collected", func() bool {
		for _, f := range c.files(true) {
			if strings.Contains(f, h) {
				return false
			}
		}
		return true
	})
	// The record keeps the Provider that could not be reached, and only it.
	waitFor(t, "the garbage record to name only the stopped Provider", func() bool {
		g, err := c.meta.Garbage()
		return err == nil && len(g) == 1 && g[0].ID == id && slices.Equal(g[0].Providers, []string{c.ids[3].String()})
	})
	if n := c.chunksOf(id); n != 1 {
		t.Fatalf("the stopped Provider holds %d chunks of the object, want 1", n)
	}
	// The Provider comes back (same identity and store, new port): the next
	// collection removes its chunk and the record.
	if got := c.startProvider(3); got != c.ids[3] {
		t.Fatalf("restarted Provider has id %s, want %s", got, c.ids[3])
	}
	c.layer.kickGC()
	waitFor(t, "the returning Provider's chunks to be collected", func() bool { return c.chunksOf(id) == 0 })
	waitFor(t, "the garbage record to be cleared", c.noGarbage)
}

func TestRecoverAbortsUnfinishedUploads(t *testing.T) {
	c := newCluster(t, 6)
	// A previous run began an upload and wrote chunks, then crashed.
	var id erasure.DataID
	rand.Read(id[:])
	if err := c.meta.BeginPut(id, providerStrings(c.ids)); err != nil {
		t.Fatal(err)
	}
	for i, s := range c.stores {
		data := []byte(fmt.Sprintf("orphan chunk %d", i))
		if err := s.PutFor(c.client.ID().String(), memo.ChunkID{Data: id, Index: uint16(i)}, erasure.Commit(data), data); err != nil {
			t.Fatal(err)
		}
	}
	if c.chunksOf(id) != len(c.stores) {
		t.Fatal("setup: chunks not written")
	}
	c.run()
	waitFor(t, "chunks of the unfinished upload to be collected", func() bool { return c.chunksOf(id) == 0 })
	waitFor(t, "intent and garbage records to be cleared", c.noGarbage)
}

func TestNoPlaintextOnProviders(t *testing.T) {
	c := newCluster(t, 6)
	canary := []byte("MEFS-CANARY-7f3a9c-plaintext-must-not-leak|")
	data := bytes.Repeat(canary, (2*testStripe+1000)/len(canary))
	c.put("canary", data)
	if got, err := c.get("canary", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %d bytes, %v", len(got), err)
	}
	files := c.files(false)
	if len(files) != stripesOf(len(data))*(testK+testM) {
		t.Fatalf("%d chunk files, want %d", len(files), stripesOf(len(data))*(testK+testM))
	}
	var total int
	for _, dir := range c.provDirs {
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.Type().IsRegular() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			total += len(b)
			if bytes.Contains(b, canary[:16]) {
				t.Errorf("plaintext found in %s", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if total < len(data) {
		t.Fatalf("Providers hold %d bytes for a %d-byte object", total, len(data))
	}
}

// TestRunStartedDuringPut starts the garbage collector while a PUT is in
// flight: it must not take the PUT's intent for one left over from a crash
// and collect the chunks already written. The PUT must either fail or leave
// a readable object.
func TestRunStartedDuringPut(t *testing.T) {
	c := newCluster(t, 6)
	data := randData(14, 2*testStripe+10)
	pr, pw := io.Pipe()
	defer pw.Close()
	type result struct {
		info gateway.ObjectInfo
		err  error
	}
	res := make(chan result, 1)
	go func() {
		info, err := c.layer.PutObject(context.Background(), "bkt", "k",
			gateway.NewPutReader(pr, int64(len(data)), nil), gateway.PutOptions{})
		res <- result{info, err}
	}()
	// The first stripe goes out; the PUT then waits for more body.
	if _, err := pw.Write(data[:testStripe+5]); err != nil {
		t.Fatal(err)
	}
	var id erasure.DataID
	waitFor(t, "the upload intent", func() bool {
		in, err := c.meta.Intents()
		if err != nil || len(in) != 1 {
			return false
		}
		id = in[0].ID
		return true
	})
	waitFor(t, "the first stripe to be stored", func() bool { return c.chunksOf(id) == testK+testM })

	c.startRun()
	c.layer.kickGC()
	waitFor(t, "the garbage collector to take its kick", func() bool { return len(c.layer.gcKick) == 0 })

	if _, err := pw.Write(data[testStripe+5:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-res
	if r.err != nil {
		return // refusing the PUT is a correct outcome
	}
	got, err := c.get("k", "")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("PutObject succeeded but the object reads back %d bytes (want %d), err %v", len(got), len(data), err)
	}
}

// TestPutAtWriteQuorumIsRepaired: with one Provider of six down, a 4+2 PUT
// succeeds at its write quorum (5 chunks a stripe) and queues the stripes
// for repair; once the Provider is back, repair restores full redundancy, so
// the object then survives any two Providers lost.
func TestPutAtWriteQuorumIsRepaired(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	c.stopProvider(2)
	data := randData(21, 3*testStripe+77)
	c.put("degraded", data)
	id := c.objectID("degraded")
	if q, err := c.meta.RepairQueue(); err != nil || len(q) != 1 || q[0] != id {
		t.Fatalf("repair queue %v, %v; want the object", q, err)
	}
	if got, err := c.get("degraded", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read at write quorum: %v", err)
	}
	c.startProvider(2)
	c.layer.kickRepair()
	waitFor(t, "the stripes to be repaired", func() bool {
		q, err := c.meta.RepairQueue()
		return err == nil && len(q) == 0
	})
	if n := c.chunksOf(memo.DataOf(id)); n != stripesOf(len(data))*(testK+testM) {
		t.Fatalf("%d chunk files after repair, want %d", n, stripesOf(len(data))*(testK+testM))
	}
	lay, err := c.meta.Layout(id)
	if err != nil || lay.Missing() {
		t.Fatalf("layout after repair: missing %v, %v", lay.Missing(), err)
	}
	// Full redundancy: any two Providers may go.
	c.stopProvider(0)
	c.stopProvider(1)
	if got, err := c.get("degraded", ""); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read with two Providers down after repair: %v", err)
	}
}
