package durable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWriteFileReplacesAndTightensMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "key")
	if err := WriteFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "two" {
		t.Fatalf("content %q, %v; want two", b, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil || len(entries) != 1 {
		t.Fatalf("folder holds %d entries (%v): temporary files left behind", len(entries), err)
	}
}

func TestMkdirAllCreatesEveryLevel(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b", "c")
	if err := MkdirAll(dir); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder %v, %v; want a 0700 folder", fi, err)
	}
	if err := MkdirAll(dir); err != nil {
		t.Fatalf("existing folder: %v", err)
	}
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := MkdirAll(filepath.Join(file, "sub")); err == nil {
		t.Fatal("a folder under a file was created")
	}
}

func TestReadSecretTightensMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadSecret(path)
	if err != nil || string(b) != "s" {
		t.Fatalf("ReadSecret: %q, %v", b, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v after ReadSecret, want 0600", fi.Mode().Perm())
	}
	if _, err := ReadSecret(path + ".missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing secret: %v, want fs.ErrNotExist", err)
	}
}

func TestMkdirAllUnsyncedLeavesTheFsyncsToItsCaller(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b")
	created, err := MkdirAllUnsynced(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{dir, filepath.Join(root, "a")}; !slices.Equal(created, want) {
		t.Fatalf("created %q, want %q (deepest first)", created, want)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("created folder cannot be used before SyncCreated: %v", err)
	}
	if err := SyncCreated(created); err != nil {
		t.Fatal(err)
	}
	if again, err := MkdirAllUnsynced(dir); err != nil || again != nil {
		t.Fatalf("existing folder: created %q, err %v; want none", again, err)
	}
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := MkdirAllUnsynced(filepath.Join(file, "sub")); err == nil {
		t.Fatal("created a folder under a file")
	}
	if err := SyncCreated([]string{filepath.Join(root, "gone", "x")}); err == nil {
		t.Fatal("SyncCreated of a folder whose parent does not exist succeeded")
	}
}
