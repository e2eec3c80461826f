package audit

import (
	"fmt"
	"math"
	"strings"
)

// cvss3Weights are the metric values of CVSS v3.0 and v3.1 (§7.4 of the
// v3.1 specification). PR depends on scope and is handled apart.
var cvss3Weights = map[string]map[string]float64{
	"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
	"AC": {"L": 0.77, "H": 0.44},
	"UI": {"N": 0.85, "R": 0.62},
	"C":  {"H": 0.56, "L": 0.22, "N": 0},
	"I":  {"H": 0.56, "L": 0.22, "N": 0},
	"A":  {"H": 0.56, "L": 0.22, "N": 0},
}

// CVSS3BaseScore computes the base score of a CVSS v3.0 or v3.1 vector
// ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" → 9.8) with the
// formula of the v3.1 specification §7.1, including its Roundup.
// Temporal and environmental metrics in the vector are ignored.
func CVSS3BaseScore(vector string) (float64, error) {
	parts := strings.Split(vector, "/")
	if len(parts) == 0 || (parts[0] != "CVSS:3.0" && parts[0] != "CVSS:3.1") {
		return 0, fmt.Errorf("cvss: %q is not a CVSS v3 vector", vector)
	}
	m := map[string]string{}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, ":")
		if !ok {
			return 0, fmt.Errorf("cvss: malformed metric %q in %q", p, vector)
		}
		if _, dup := m[k]; dup {
			return 0, fmt.Errorf("cvss: metric %s twice in %q", k, vector)
		}
		m[k] = v
	}
	w := map[string]float64{}
	for k, vals := range cvss3Weights {
		x, ok := vals[m[k]]
		if !ok {
			return 0, fmt.Errorf("cvss: base metric %s missing or invalid in %q", k, vector)
		}
		w[k] = x
	}
	changed := false
	switch m["S"] {
	case "U":
	case "C":
		changed = true
	default:
		return 0, fmt.Errorf("cvss: base metric S missing or invalid in %q", vector)
	}
	var pr float64
	switch m["PR"] {
	case "N":
		pr = 0.85
	case "L":
		pr = 0.62
		if changed {
			pr = 0.68
		}
	case "H":
		pr = 0.27
		if changed {
			pr = 0.5
		}
	default:
		return 0, fmt.Errorf("cvss: base metric PR missing or invalid in %q", vector)
	}
	iss := 1 - (1-w["C"])*(1-w["I"])*(1-w["A"])
	var impact float64
	if changed {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	} else {
		impact = 6.42 * iss
	}
	exploitability := 8.22 * w["AV"] * w["AC"] * pr * w["UI"]
	switch {
	case impact <= 0:
		return 0, nil
	case changed:
		return roundup(math.Min(1.08*(impact+exploitability), 10)), nil
	}
	return roundup(math.Min(impact+exploitability, 10)), nil
}

// roundup is the v3.1 specification's Appendix A Roundup: the smallest
// number with one decimal that is at least x, computed so that floating
// point noise does not push 4.0 to 4.1.
func roundup(x float64) float64 {
	i := int64(math.Round(x * 100000))
	if i%10000 == 0 {
		return float64(i) / 100000
	}
	return float64(i/10000+1) / 10
}
