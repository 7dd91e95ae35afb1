package provider

// The owner log records which User (peer id) owns each object stored here:
// one line "<object hex> <owner>\n" per claim, appended to DIR/owners.log.
//
// Invariants:
//   - record returns only once its line is fsynced, so an owner recorded
//     before a chunk's rename survives any crash that the chunk survives.
//   - Group commit: lines that arrive while a sync runs share the next one,
//     so N concurrent claims cost about one fsync, not N (a per-object owner
//     file cost a create, a write and an fsync each).
//   - A line cut short by a crash (no newline) is ignored when read and cut
//     off when the log is opened; the last line for an object wins.
//   - After a write or sync fails the log takes no more lines: what reached
//     the disk is unknown, so no claim may be acknowledged on top of it.
//   - Folders from before the log keep their .owner files; they are read
//     when the log names no owner for an object.

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/mefs-project/mefs/backend/internal/durable"
	"github.com/mefs-project/mefs/erasure"
)

const ownerLogName = "owners.log"

// ownerLog appends owner records with group-committed fsyncs.
type ownerLog struct {
	f *os.File

	mu      sync.Mutex
	cond    *sync.Cond
	pending []byte // lines of batch `next`, not yet written
	next    uint64 // the batch new lines join
	done    uint64 // batches below this are durable (or failed: err)
	syncing bool
	err     error
}

// openOwnerLog opens (creating) the log at path and returns the owners it
// records, cutting off a torn last line.
func openOwnerLog(path string) (*ownerLog, map[erasure.DataID]string, error) {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open owner log: %w", err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		if err := syncDir(filepath.Dir(path)); err != nil { // the new log's entry
			f.Close()
			return nil, nil, fmt.Errorf("create owner log: %w", err)
		}
	}
	owners, whole, err := readOwnerLog(f)
	if err == nil {
		err = f.Truncate(whole)
	}
	if err == nil {
		_, err = f.Seek(whole, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("read owner log %s: %w", path, err)
	}
	l := &ownerLog{f: f}
	l.cond = sync.NewCond(&l.mu)
	return l, owners, nil
}

// readOwnerLog parses the log from its start; whole is the length of the
// complete lines.
func readOwnerLog(r io.Reader) (owners map[erasure.DataID]string, whole int64, err error) {
	owners = map[erasure.DataID]string{}
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return owners, whole, nil // a line without its newline was cut short
		}
		if err != nil {
			return nil, 0, err
		}
		whole += int64(len(line))
		objHex, owner, ok := bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte(" "))
		raw, herr := hex.DecodeString(string(objHex))
		if !ok || herr != nil || len(raw) != len(erasure.DataID{}) {
			continue // not a record: skipped, as a reader from a newer version would
		}
		var obj erasure.DataID
		copy(obj[:], raw)
		owners[obj] = string(owner)
	}
}

// record appends (obj, owner) and returns once it is durable.
func (l *ownerLog) record(obj erasure.DataID, owner string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	l.pending = fmt.Appendf(l.pending, "%x %s\n", obj[:], owner)
	batch := l.next
	for l.done <= batch {
		if l.syncing {
			l.cond.Wait()
			continue
		}
		l.flush()
	}
	return l.err
}

// flush writes and syncs the pending batch; l.mu is held, and released
// while the disk works.
func (l *ownerLog) flush() {
	buf, batch := l.pending, l.next
	l.pending, l.next, l.syncing = nil, l.next+1, true
	l.mu.Unlock()
	_, err := l.f.Write(buf)
	if err == nil {
		err = l.f.Sync()
	}
	l.mu.Lock()
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("owner log: %w", err)
	}
	l.done, l.syncing = batch+1, false
	l.cond.Broadcast()
}

// ownerLogSlack is how many stale records (of deleted objects) the log may
// hold beyond twice the live ones before it is rewritten at open.
const ownerLogSlack = 4096

// compactOwnerLog rewrites the log at path with the live owners only (at
// open, before any claim): a new file, fsynced, renamed over the old one.
func (s *Store) compactOwnerLog(path string) error {
	var buf []byte
	for obj, owner := range s.owners {
		buf = fmt.Appendf(buf, "%x %s\n", obj[:], owner)
	}
	if err := durable.WriteFile(path, buf); err != nil {
		return fmt.Errorf("compact owner log: %w", err)
	}
	olog, _, err := openOwnerLog(path)
	if err != nil {
		return err
	}
	s.olog.f.Close()
	s.olog = olog
	return nil
}
