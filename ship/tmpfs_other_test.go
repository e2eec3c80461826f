//go:build !linux

package ship

import "testing"

func mountTmpfs(t *testing.T, dir string, size string) bool { return false }
