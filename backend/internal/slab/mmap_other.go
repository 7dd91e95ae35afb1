//go:build !linux

package slab

// mapBytes allocates n bytes on the Go heap where mmap is not used; the pool
// keeps the buffer referenced, so it is never collected.
func mapBytes(n int) ([]byte, error) { return make([]byte, n), nil }

// releasePages forgets b's contents (its memory stays allocated).
func releasePages(b []byte) { clear(b) }
