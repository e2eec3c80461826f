package cli

import (
	"context"
	"os"

	"github.com/bulwark-sec/bulwark/update"
)

// openUpdateAdvisories opens the advisory database at path when it exists,
// for bulwark update: security fixes are tried first. Without one,
// updates are tried in their usual order. The closer is never nil.
func openUpdateAdvisories(ctx context.Context, path string) (update.Advisories, func(), error) {
	if _, err := os.Stat(path); err != nil {
		return nil, func() {}, nil
	}
	db, store, err := openAdvisoryDB(ctx, path, false)
	if err != nil {
		return nil, func() {}, err
	}
	return update.FromSource(db), func() { store.Close() }, nil
}
