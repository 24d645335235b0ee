package testenv

import (
	"bytes"
	"sync"
)

// LogBuffer collects log output that many goroutines write at once (a
// worker, the dispatcher, HTTP handlers), for tests that read what was
// logged.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p; it is safe from many goroutines.
func (s *LogBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String is everything logged so far.
func (s *LogBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
