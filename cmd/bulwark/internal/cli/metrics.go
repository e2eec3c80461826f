package cli

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// A sample is one line of the Prometheus text format: a metric's name,
// its labels and its value.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// maxMetricsLine bounds one line of /metrics read by status.
const maxMetricsLine = 64 << 10

// parseMetrics reads the samples of the Prometheus text format that
// status needs: "name{label="value",…} number" lines; comments, blank
// lines and lines it cannot read are skipped. Label values are taken as
// written, escapes included.
func parseMetrics(r io.Reader) []sample {
	var out []sample
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxMetricsLine)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		s, ok := parseSample(line)
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func parseSample(line string) (sample, bool) {
	s := sample{labels: map[string]string{}}
	rest := line
	if i := strings.IndexAny(line, "{ "); i > 0 && line[i] == '{' {
		s.name = line[:i]
		end := strings.LastIndexByte(line, '}')
		if end < i {
			return s, false
		}
		for _, pair := range splitLabels(line[i+1 : end]) {
			k, v, ok := strings.Cut(pair, "=")
			if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
				return s, false
			}
			s.labels[strings.TrimSpace(k)] = v[1 : len(v)-1]
		}
		rest = line[end+1:]
	} else if i > 0 {
		s.name, rest = line[:i], line[i:]
	} else {
		return s, false
	}
	fields := strings.Fields(rest) // the value, then perhaps a timestamp
	if len(fields) == 0 {
		return s, false
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return s, false
	}
	s.value = v
	return s, true
}

// splitLabels splits `a="x",b="y,z"` at the commas outside quotes.
func splitLabels(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, s[start:])
	}
	return out
}

// sum adds the values of the samples named name whose labels include
// every one of match.
func sum(samples []sample, name string, match map[string]string) float64 {
	var total float64
	for _, s := range samples {
		if s.name != name {
			continue
		}
		ok := true
		for k, v := range match {
			if s.labels[k] != v {
				ok = false
				break
			}
		}
		if ok {
			total += s.value
		}
	}
	return total
}
