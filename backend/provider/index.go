package provider

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mefs-project/mefs/backend/memo"
	"github.com/mefs-project/mefs/backend/order"
	"github.com/mefs-project/mefs/erasure"
)

// ErrNotOwner refuses a chunk of an object another User stored.
var ErrNotOwner = errors.New("object belongs to another user")

const ownerFile = ".owner"

// claim records owner as the owner of object obj (folder dir) if it has
// none, durably, or checks that it is the owner. The owner record is
// written and fsynced outside s.mu (other objects' puts and reads do not
// wait for it); puts of the same object that arrive meanwhile wait for its
// outcome.
func (s *Store) claim(obj erasure.DataID, dir, owner string) error {
	s.mu.Lock()
	if cur, ok := s.owners[obj]; ok {
		s.mu.Unlock()
		return checkOwner(cur, owner)
	}
	if c := s.claiming[obj]; c != nil {
		s.mu.Unlock()
		<-c.done
		if c.err != nil {
			return c.err
		}
		return checkOwner(c.owner, owner)
	}
	c := &ownerClaim{done: make(chan struct{}), owner: owner}
	s.claiming[obj] = c
	s.mu.Unlock()

	c.err = s.olog.record(obj, owner)
	s.mu.Lock()
	if _, dead := s.tombstones[obj]; c.err == nil && !dead {
		s.owners[obj] = c.owner
	}
	delete(s.claiming, obj)
	s.mu.Unlock()
	close(c.done)
	if c.err != nil {
		return c.err
	}
	return checkOwner(c.owner, owner)
}

// ownerClaim is an owner file being written; done closes when it is.
type ownerClaim struct {
	done  chan struct{}
	owner string
	err   error
}

func checkOwner(cur, owner string) error {
	if cur != owner {
		return ErrNotOwner
	}
	return nil
}

// indexAdd records a stored chunk; s.mu is held.
func (s *Store) indexAdd(owner string, id memo.ChunkID, root erasure.Root, size int64) {
	m := s.index[owner]
	if m == nil {
		m = map[memo.ChunkID]indexEntry{}
		s.index[owner] = m
	}
	if old, ok := m[id]; ok {
		s.usage[owner] -= old.size
	}
	m[id] = indexEntry{root: root, size: size}
	s.usage[owner] += size
}

// indexDrop forgets every chunk of obj; s.mu is held.
func (s *Store) indexDrop(obj erasure.DataID) {
	owner, ok := s.owners[obj]
	if !ok {
		return
	}
	delete(s.owners, obj)
	for id := range s.index[owner] {
		if id.Data == obj {
			s.indexRemove(owner, id)
		}
	}
}

// indexRemove forgets one chunk of owner's; s.mu is held.
func (s *Store) indexRemove(owner string, id memo.ChunkID) {
	if e, ok := s.index[owner][id]; ok {
		delete(s.index[owner], id)
		s.usage[owner] -= e.size
	}
}

// UsageOf is how many bytes of chunks the store holds for owner.
func (s *Store) UsageOf(owner string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usage[owner]
}

// Has reports whether owner's chunk id is stored with commitment root and
// length size.
func (s *Store) Has(owner string, e order.Entry) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	got, ok := s.index[owner][e.Chunk]
	return ok && got.root == e.Root && got.size == e.Size
}

// load rebuilds the owner map and the index from the files and the owners
// the log recorded (logged).
func (s *Store) load(logged map[erasure.DataID]string) error {
	prefixes, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("scan chunk store: %w", err)
	}
	for _, pd := range prefixes {
		objs, err := os.ReadDir(filepath.Join(s.dir, pd.Name()))
		if err != nil {
			continue
		}
		for _, od := range objs {
			raw, err := hex.DecodeString(od.Name())
			if err != nil || len(raw) != 16 {
				continue
			}
			var obj erasure.DataID
			copy(obj[:], raw)
			dir := filepath.Join(s.dir, pd.Name(), od.Name())
			owner, ok := logged[obj]
			if !ok {
				if b, err := os.ReadFile(filepath.Join(dir, ownerFile)); err == nil {
					owner = string(b)
				} else if !errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("read owner of %s: %w", dir, err)
				}
			}
			s.owners[obj] = owner
			if err := s.loadObject(obj, dir, owner); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) loadObject(obj erasure.DataID, dir, owner string) error {
	files, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("scan %s: %w", dir, err)
	}
	for _, f := range files {
		name := f.Name()
		if strings.HasPrefix(name, ".") {
			if strings.HasPrefix(name, ".tmp-") {
				os.Remove(filepath.Join(dir, name)) // a write cut short by a crash
			}
			continue
		}
		a, b, ok := strings.Cut(name, ".")
		stripe, err1 := strconv.ParseUint(a, 10, 64)
		index, err2 := strconv.ParseUint(b, 10, 16)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		fh, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("open chunk %s: %w", name, err)
		}
		l, err := fileLayout(fh)
		fh.Close()
		if err != nil {
			continue // not a whole chunk file: Get reports it corrupt, repair replaces it
		}
		s.indexAdd(owner, memo.ChunkID{Data: obj, Stripe: stripe, Index: uint16(index)}, l.root, l.size)
	}
	return nil
}

// Owns reports whether owner stored object obj here.
func (s *Store) Owns(owner string, obj erasure.DataID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.owners[obj]
	return ok && o == owner
}

// foreign reports whether object obj belongs to a User other than owner.
func (s *Store) foreign(obj erasure.DataID, owner string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.owners[obj]
	return ok && cur != owner
}

// Owned reports whether anyone stored object obj here.
func (s *Store) Owned(obj erasure.DataID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.owners[obj]
	return ok
}

// Usage counts the chunks and bytes the store holds for all Users.
func (s *Store) Usage() (chunks int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.index {
		for _, e := range m {
			chunks++
			bytes += e.size
		}
	}
	return chunks, bytes
}
