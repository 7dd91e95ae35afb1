package user

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/mefs-project/mefs/gateway"
)

// failingWriter takes limit bytes, then fails every Write.
type failingWriter struct {
	buf   bytes.Buffer
	limit int
}

var errWriterFull = errors.New("writer full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if room := w.limit - w.buf.Len(); len(p) > room {
		w.buf.Write(p[:room])
		return room, errWriterFull
	}
	return w.buf.Write(p)
}

// TestObjectReaderWriteTo: io.Copy sends a GET's range straight from the
// decoded stripes (WriteTo), whole and in order across stripe boundaries;
// a writer that fails midway gets its error back, and the stripe buffers
// are all given back once the reader is closed.
func TestObjectReaderWriteTo(t *testing.T) {
	l, _, _, _ := newMemLayer(t, testK+testM)
	data := randData(21, 3*testStripe+11)
	memPut(t, l, "big", data)
	inUse := l.bufs.Stats().InUse

	for _, c := range []struct {
		name     string
		off, end int64 // the range, end inclusive
	}{
		{"whole", 0, int64(len(data)) - 1},
		{"across two stripe boundaries", testStripe - 50, 2*testStripe + 50},
		{"inside one stripe", 10, 20},
		{"last byte", int64(len(data)) - 1, int64(len(data)) - 1},
	} {
		rng := &gateway.Range{First: c.off, Last: c.end}
		_, rc, err := l.GetObject(context.Background(), "bkt", "big", "", rng, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if _, ok := rc.(io.WriterTo); !ok {
			t.Fatalf("%s: the object reader is not an io.WriterTo", c.name)
		}
		var got bytes.Buffer
		n, err := io.Copy(&got, rc)
		rc.Close()
		if err != nil || n != c.end-c.off+1 || !bytes.Equal(got.Bytes(), data[c.off:c.end+1]) {
			t.Fatalf("%s: copied %d bytes, err %v; want the %d bytes of the range", c.name, n, err, c.end-c.off+1)
		}
	}

	_, rc, err := l.GetObject(context.Background(), "bkt", "big", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &failingWriter{limit: testStripe + 7}
	n, err := io.Copy(w, rc)
	if !errors.Is(err, errWriterFull) || n != int64(w.limit) {
		t.Fatalf("copy to a failing writer: %d bytes, err %v; want %d and its error", n, err, w.limit)
	}
	rc.Close()
	// Chunk reads still in flight when the reader closed give their
	// buffers back as they end.
	deadline := time.Now().Add(10 * time.Second)
	for l.bufs.Stats().InUse != inUse {
		if time.Now().After(deadline) {
			t.Fatalf("stripe buffers in use after the readers closed: %d bytes, want %d", l.bufs.Stats().InUse, inUse)
		}
		time.Sleep(time.Millisecond)
	}
}
