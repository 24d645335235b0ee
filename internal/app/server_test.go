package app

import (
	"testing"
	"time"
)

// A trickled body or a silent keep-alive must not hold a connection open
// forever, yet the largest upload (a 128 MB roster export from a 4 Mbit/s
// school uplink, about 4.5 minutes) must still get through.
func TestServer_HasReadWriteAndIdleTimeoutsSizedForUploads(t *testing.T) {
	srv := newServer(":0", nil)
	const largestUpload = 128 << 20 * 8 / (4 << 20) * time.Second // bits over 4 Mbit/s
	if srv.ReadHeaderTimeout == 0 || srv.IdleTimeout == 0 {
		t.Fatalf("header timeout %v, idle timeout %v: both must be set", srv.ReadHeaderTimeout, srv.IdleTimeout)
	}
	if srv.ReadTimeout < largestUpload || srv.ReadTimeout > 10*time.Minute {
		t.Errorf("read timeout %v: want enough for a roster upload (%v) and no more than 10 minutes", srv.ReadTimeout, largestUpload)
	}
	if srv.WriteTimeout <= srv.ReadTimeout {
		t.Errorf("write timeout %v must exceed the read timeout %v (it runs from the headers to the end of the answer)", srv.WriteTimeout, srv.ReadTimeout)
	}
}
