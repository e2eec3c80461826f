package testutil

import (
	"bytes"
	"strings"
	"sync"
)

// A SyncBuffer is a bytes.Buffer for output written by one goroutine or
// process (a logger, a child's stdout) and read by the test meanwhile. Its
// zero value is empty and ready to use. A SyncBuffer is safe for
// concurrent use.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Count returns how many times sub occurs in what was written so far.
func (s *SyncBuffer) Count(sub string) int {
	return strings.Count(s.String(), sub)
}
