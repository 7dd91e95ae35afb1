package user

import (
	"context"
	"slices"
	"testing"

	"github.com/mefs-project/mefs/gateway"
)

func TestAtRiskObjects(t *testing.T) {
	l, _, ids, _ := newMemLayer(t, testK+testM)
	for _, k := range []string{"a", "b", "c", "gone"} {
		memPut(t, l, k, []byte("data of "+k))
	}
	if _, err := l.DeleteObject(context.Background(), "bkt", "gone", gateway.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := l.AtRiskObjects(10)
	if err != nil || r.Count != 0 || len(r.Objects) != 0 {
		t.Fatalf("with every Provider healthy: %+v, %v", r, err)
	}
	// Every stripe spans all k+m Providers: one failing puts every object at risk.
	l.MarkFailing(ids[0], "failed epoch 7 certified on chain")
	r, err = l.AtRiskObjects(2)
	if err != nil || r.Count != 3 || !slices.Equal(r.Objects, []string{"bkt/a", "bkt/b"}) {
		t.Fatalf("with one Provider failing, limit 2: %+v, %v; want 3 counted, bkt/a and bkt/b listed", r, err)
	}
	l.ClearFailing(ids[0])
	if r, err = l.AtRiskObjects(10); err != nil || r.Count != 0 {
		t.Fatalf("after the Provider recovered: %+v, %v", r, err)
	}
}
