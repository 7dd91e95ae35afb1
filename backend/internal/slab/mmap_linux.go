package slab

import "golang.org/x/sys/unix"

// mapBytes maps n bytes of private anonymous memory.
func mapBytes(n int) ([]byte, error) {
	return unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
}

// releasePages gives b's pages back to the kernel; b stays mapped and reads
// as zeros.
func releasePages(b []byte) {
	if err := unix.Madvise(b, unix.MADV_DONTNEED); err != nil {
		clear(b) // cannot happen for our own mapping; still forget the contents
	}
}
