//go:build !linux

package provider

import (
	"os"
	"testing"
)

func fileFlags(*testing.T, *os.File) int { return 0 } // no O_DIRECT to leave behind
