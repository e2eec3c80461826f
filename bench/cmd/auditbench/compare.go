package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// findings maps "name@version" to the advisory ids reported on it. A
// leading "v" is dropped from versions on both sides: osv-scanner drops
// it from Go modules and composer.lock versions ("v1.1.3"), bulwark
// reports them as the lockfile spells them.
type findings map[string]map[string]bool

func (f findings) add(pkg, id string) {
	if f[pkg] == nil {
		f[pkg] = map[string]bool{}
	}
	f[pkg][id] = true
}

func (f findings) count() int {
	n := 0
	for _, ids := range f {
		n += len(ids)
	}
	return n
}

// parseBulwark reads bulwark audit --json.
func parseBulwark(b []byte) (findings, error) {
	var doc struct {
		Packages []struct {
			Name, Version   string
			Vulnerabilities []struct{ IDs []string }
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("bulwark's JSON: %w", err)
	}
	f := findings{}
	for _, p := range doc.Packages {
		for _, v := range p.Vulnerabilities {
			for _, id := range v.IDs {
				f.add(p.Name+"@"+strings.TrimPrefix(p.Version, "v"), id)
			}
		}
	}
	return f, nil
}

// parseOSVScanner reads osv-scanner --format json.
func parseOSVScanner(b []byte) (findings, error) {
	var doc struct {
		Results []struct {
			Packages []struct {
				Package struct {
					Name, Version string
				}
				Vulnerabilities []struct{ ID string }
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("osv-scanner's JSON: %w", err)
	}
	f := findings{}
	for _, r := range doc.Results {
		for _, p := range r.Packages {
			for _, v := range p.Vulnerabilities {
				f.add(p.Package.Name+"@"+strings.TrimPrefix(p.Package.Version, "v"), v.ID)
			}
		}
	}
	return f, nil
}

// diff lists the (package, advisory) pairs only one tool reported.
func diff(bulwark, osvScanner findings) (onlyBulwark, onlyOSV []string) {
	keys := map[string]bool{}
	for k := range bulwark {
		keys[k] = true
	}
	for k := range osvScanner {
		keys[k] = true
	}
	for _, pkg := range slices.Sorted(maps.Keys(keys)) {
		for _, id := range slices.Sorted(maps.Keys(bulwark[pkg])) {
			if !osvScanner[pkg][id] {
				onlyBulwark = append(onlyBulwark, pkg+" "+id)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(osvScanner[pkg])) {
			if !bulwark[pkg][id] {
				onlyOSV = append(onlyOSV, pkg+" "+id)
			}
		}
	}
	return onlyBulwark, onlyOSV
}
