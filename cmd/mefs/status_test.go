package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mefs-project/mefs/backend/node"
)

// TestPrintStatusAtRisk: `mefs status` names the objects at risk and counts them.
func TestPrintStatusAtRisk(t *testing.T) {
	st := node.Status{Time: time.Now(), Roles: []string{"user"}, User: &node.UserStatus{
		PeerID: "16Uiu2HAm", EC: "4+2",
		AtRisk: &node.AtRiskStatus{Count: 3, Objects: []string{"bkt/a", "bkt/b"}},
	}}
	var out bytes.Buffer
	printStatus(&out, st)
	if s := out.String(); !strings.Contains(s, "objects at risk") || !strings.Contains(s, "3") || !strings.Contains(s, "bkt/a bkt/b") {
		t.Fatalf("status output lacks the objects at risk:\n%s", s)
	}
	out.Reset()
	st.User.AtRisk = nil
	printStatus(&out, st)
	if strings.Contains(out.String(), "at risk") {
		t.Fatalf("status prints objects at risk when there are none:\n%s", out.String())
	}
}
