//go:build !unix

package watch

import "io/fs"

// fileID has no device and inode to give where FileInfo carries none
// (Windows): rotation is then seen only when the file shrinks.
func fileID(fs.FileInfo) Position { return Position{} }
