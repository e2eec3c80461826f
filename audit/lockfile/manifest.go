package lockfile

import "encoding/json"

// A manifest is what a package.json beside a lockfile says about the
// project's own dependencies: name → dev only.
type manifest struct {
	deps map[string]bool
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
	m := &manifest{deps: map[string]bool{}}
	for n := range pj.DevDependencies {
		m.deps[n] = true
	}
	for _, deps := range []map[string]string{pj.Dependencies, pj.OptionalDependencies, pj.PeerDependencies} {
		for n := range deps {
			m.deps[n] = false
		}
	}
	return m, nil
}
