package lockfile

import "encoding/json"

// A manifest is what a package.json beside a lockfile says about the
// project's own dependencies.
type manifest struct {
	deps map[string]string // name → range, every kind of dependency
	dev  map[string]bool   // names listed only in devDependencies
}

// parseManifest reads the dependency lists of a package.json.
func parseManifest(data []byte) (*manifest, error) {
	var pj struct {
		Dependencies         map[string]string `json:"dependencies"`
		DevDependencies      map[string]string `json:"devDependencies"`
		OptionalDependencies map[string]string `json:"optionalDependencies"`
		PeerDependencies     map[string]string `json:"peerDependencies"`
	}
	if err := json.Unmarshal(data, &pj); err != nil {
		return nil, err
	}
	m := &manifest{deps: map[string]string{}, dev: map[string]bool{}}
	for n, r := range pj.DevDependencies {
		m.deps[n], m.dev[n] = r, true
	}
	for _, deps := range []map[string]string{pj.Dependencies, pj.OptionalDependencies, pj.PeerDependencies} {
		for n, r := range deps {
			m.deps[n] = r
			delete(m.dev, n)
		}
	}
	return m, nil
}
