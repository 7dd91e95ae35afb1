package provider

// Invariants:
//   - No chunk is renamed into a folder before every folder on its path
//     that a put created is durable (fsynced into its parent): the put that
//     creates folders registers its fsyncs for each of them under the same
//     lock as the creation, and every put waits for the registered fsyncs of
//     the folders on its path, its own or another put's.
//   - A registration is dropped once its fsyncs succeeded, so a folder that
//     exists and is not registered is durable. One that failed stays
//     registered with its error: puts into it fail until the Provider
//     restarts, rather than be acknowledged on an entry that may be lost.

import (
	"path/filepath"
	"sync"

	"github.com/mefs-project/mefs/backend/internal/durable"
)

// newFolders creates chunk folders and tracks their fsyncs while they run.
// Its zero value is ready.
type newFolders struct {
	mu      sync.Mutex
	pending map[string]*folderSync // folders whose fsyncs have not succeeded
	// syncCreated makes created folders durable (durable.SyncCreated if
	// nil; tests hold it back).
	syncCreated func(created []string) error
}

// folderSync is one put's fsyncs of the folders it created; err is set
// before done closes.
type folderSync struct {
	done chan struct{}
	err  error
}

// create makes dir and its missing parents below root (which exists), and
// starts the fsyncs of those it made. wait returns once every folder on
// dir's path below root that this or another put created is durable, with
// the error of those fsyncs.
func (n *newFolders) create(root, dir string) (wait func() error, err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	created, err := durable.MkdirAllUnsynced(dir)
	if err != nil {
		return nil, err
	}
	var waits []*folderSync
	for d := filepath.Clean(dir); d != root && d != filepath.Dir(d); d = filepath.Dir(d) {
		if fs := n.pending[d]; fs != nil {
			waits = append(waits, fs)
		}
	}
	if len(created) > 0 {
		fs := &folderSync{done: make(chan struct{})}
		if n.pending == nil {
			n.pending = map[string]*folderSync{}
		}
		for _, d := range created {
			n.pending[d] = fs
		}
		waits = append(waits, fs)
		go n.sync(fs, created)
	}
	return func() error {
		for _, fs := range waits {
			<-fs.done
			if fs.err != nil {
				return fs.err
			}
		}
		return nil
	}, nil
}

// sync runs the fsyncs of created and drops their registration if they
// succeeded.
func (n *newFolders) sync(fs *folderSync, created []string) {
	syncCreated := n.syncCreated
	if syncCreated == nil {
		syncCreated = durable.SyncCreated
	}
	fs.err = syncCreated(created)
	close(fs.done)
	if fs.err != nil {
		return
	}
	n.mu.Lock()
	for _, d := range created {
		if n.pending[d] == fs {
			delete(n.pending, d)
		}
	}
	n.mu.Unlock()
}
