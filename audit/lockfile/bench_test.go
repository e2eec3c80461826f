package lockfile

import (
	"fmt"
	"strings"
	"testing"
)

// bigPackageLock builds a package-lock.json v3 of n packages shaped like a
// real Express app's: scoped and plain names, a few nested copies, every
// entry with resolved, integrity, engines and dependencies.
func bigPackageLock(n int) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n")
	b.WriteString("    \"\": {\n      \"name\": \"app\",\n      \"dependencies\": {\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "        \"pkg-%d\": \"^1.%d.0\"%s\n", i, i, map[bool]string{true: ",", false: ""}[i < 19])
	}
	b.WriteString("      }\n    }")
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("pkg-%d", i)
		if i%7 == 0 {
			name = fmt.Sprintf("@scope%d/pkg-%d", i%5, i)
		}
		loc := "node_modules/" + name
		if i%10 == 9 {
			loc = fmt.Sprintf("node_modules/pkg-%d/node_modules/%s", i%20, name)
		}
		fmt.Fprintf(&b, ",\n    %q: {\n      \"version\": \"1.%d.%d\",\n", loc, i%20, i%13)
		fmt.Fprintf(&b, "      \"resolved\": \"https://registry.npmjs.org/%s/-/%s-1.%d.%d.tgz\",\n", name, name, i%20, i%13)
		b.WriteString("      \"integrity\": \"sha512-Sg4q1GmoSkI8zB6N5iwyQ0SkfIn6hx0lNzxvPDNwXCEdC+BNgzLH24AQSJHGdUcUBnU8xLg8Z3Q8IQ8A7sQ2nQ==\",\n")
		if i%3 == 0 {
			b.WriteString("      \"dev\": true,\n")
		}
		b.WriteString("      \"dependencies\": {\n")
		for j := 1; j <= 3; j++ {
			fmt.Fprintf(&b, "        \"pkg-%d\": \"^1.0.0\"%s\n", (i*7+j*31)%n, map[bool]string{true: ",", false: ""}[j < 3])
		}
		b.WriteString("      },\n      \"engines\": {\n        \"node\": \">= 0.8\"\n      }\n    }")
	}
	b.WriteString("\n  }\n}\n")
	return []byte(b.String())
}

func TestBigPackageLock(t *testing.T) {
	data := bigPackageLock(500)
	pkgs, err := Parse("package-lock.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 450 {
		t.Fatalf("got %d packages from a 500-package lockfile", len(pkgs))
	}
}

// BenchmarkParsePackageLock500 parses a 500-package package-lock.json:
//
//	go test -run '^$' -bench ParsePackageLock500 -benchmem -count 6 ./audit/lockfile/
func BenchmarkParsePackageLock500(b *testing.B) {
	data := bigPackageLock(500)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("package-lock.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
