package provider

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func fileFlags(t *testing.T, f *os.File) int {
	t.Helper()
	flags, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	return flags
}
