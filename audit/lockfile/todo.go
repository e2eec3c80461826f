package lockfile

// Formats not written yet.

func notYet(file string) error { return errorf(file, 0, "this lockfile format is not supported yet") }

func parsePoetryLock(file string, data []byte, m *manifest) ([]Package, error) {
	return nil, notYet(file)
}
func parseUvLock(file string, data []byte, m *manifest) ([]Package, error) { return nil, notYet(file) }
func parseCargoLock(file string, data []byte, m *manifest) ([]Package, error) {
	return nil, notYet(file)
}
