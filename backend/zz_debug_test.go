package backend

import (
	"context"
	"testing"
	"time"
)

func TestZZDebug(t *testing.T) {
	c := newCluster(t, 6)
	c.run()
	c.put("k", randData(13, 1000))
	id := c.objectID("k")
	c.stopProvider(3)
	if err := c.layer.DeleteObject(context.Background(), "bkt", "k"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	t.Logf("id %s files %v", id, c.files(true))
	g, _ := c.meta.Garbage()
	t.Logf("garbage %+v", g)
	t.Logf("ids %v", c.ids)
}
