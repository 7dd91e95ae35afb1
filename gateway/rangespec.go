package gateway

import (
	"strconv"
	"strings"
)

// Range is a single HTTP byte range from a Range header: "bytes=first-last",
// "bytes=first-" or "bytes=-suffixLength".
type Range struct {
	First, Last int64 // Last < 0: open ended
	Suffix      int64 // > 0: the last Suffix bytes; First and Last unused
	isSuffix    bool
}

// ParseRange parses a Range header. It returns nil for an empty header and,
// as S3 does, for one it cannot parse or with several ranges: those are
// ignored and the whole object is served.
func ParseRange(h string) *Range {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil
	}
	a, b, ok := strings.Cut(spec, "-")
	if !ok {
		return nil
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return nil
		}
		return &Range{Suffix: n, isSuffix: true}
	}
	first, err := strconv.ParseInt(a, 10, 64)
	if err != nil || first < 0 {
		return nil
	}
	if b == "" {
		return &Range{First: first, Last: -1}
	}
	last, err := strconv.ParseInt(b, 10, 64)
	if err != nil || last < first {
		return nil
	}
	return &Range{First: first, Last: last}
}

// Resolve returns the offset and length the range selects in an object of
// size bytes, or ErrInvalidRange if it selects nothing.
func (r *Range) Resolve(size int64) (offset, length int64, err error) {
	if r == nil {
		return 0, size, nil
	}
	if r.isSuffix {
		if r.Suffix == 0 || size == 0 {
			return 0, 0, ErrInvalidRange
		}
		n := min(r.Suffix, size)
		return size - n, n, nil
	}
	if r.First >= size {
		return 0, 0, ErrInvalidRange
	}
	last := r.Last
	if last < 0 || last >= size {
		last = size - 1
	}
	return r.First, last - r.First + 1, nil
}
