package chain

// Invariants:
//   - IsTransient is false for reverts and caller cancellations: retrying those can only
//     fail again or outlive the caller.
//   - asRevert turns a backend's revert report into *RevertError with the Solidity reason
//     string and leaves every other error untouched.

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// asRevert converts a revert reported by a JSON-RPC backend into *RevertError.
func asRevert(err error) error {
	if err == nil {
		return nil
	}
	var re *RevertError
	if errors.As(err, &re) {
		return err
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if data, derr := hexutil.Decode(s); derr == nil && len(data) >= 4 {
				if reason, uerr := abi.UnpackRevert(data); uerr == nil {
					return &RevertError{Reason: reason, cause: err}
				}
			}
		}
	}
	msg := err.Error()
	if i := strings.Index(msg, "execution reverted"); i >= 0 {
		reason := strings.TrimPrefix(msg[i+len("execution reverted"):], ":")
		return &RevertError{Reason: strings.TrimSpace(reason), cause: err}
	}
	return err
}

// RevertReason returns the Solidity revert reason carried by err, if any.
func RevertReason(err error) (string, bool) {
	var re *RevertError
	if errors.As(err, &re) {
		return re.Reason, true
	}
	return "", false
}

func isAlreadyKnown(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "already known") || strings.Contains(msg, "known transaction")
}

func isNonceTooLow(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "nonce too low")
}

// IsTransient reports whether err looks like a passing failure of the connection or
// the node (refused or reset connections, timeouts, HTTP 429/5xx, rate limits) rather
// than a verdict on the request.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, ErrReverted) || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var he rpc.HTTPError
	if errors.As(err, &he) {
		return he.StatusCode == 408 || he.StatusCode == 429 || he.StatusCode >= 500
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{
		"connection refused", "connection reset", "broken pipe", "i/o timeout", "timeout",
		"too many requests", "rate limit", "temporarily unavailable", "service unavailable",
		"bad gateway", "unexpected eof",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
