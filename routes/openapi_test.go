package routes

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// declaredLine is a Declared route as one comparable line:
// "METHOD TEMPLATE secured|open|unknown".
func declaredLine(d Declared) string {
	auth := "unknown"
	if d.Secured != nil {
		auth = map[bool]string{true: "secured", false: "open"}[*d.Secured]
	}
	return fmt.Sprintf("%s %s %s", d.Method, d.Template, auth)
}

func declaredLines(ds []Declared) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = declaredLine(d)
	}
	return out
}

func TestLoadOpenAPI(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		// The RealWorld Conduit API: servers /api, and the Token scheme on
		// the operations that need a logged-in user; the rest (login,
		// register, reading articles, profiles, comments and tags) answer
		// anyone.
		{"conduit.yml", []string{
			"GET /api/articles open",
			"POST /api/articles secured",
			"GET /api/articles/feed secured",
			"DELETE /api/articles/{slug} secured",
			"GET /api/articles/{slug} open",
			"PUT /api/articles/{slug} secured",
			"GET /api/articles/{slug}/comments open",
			"POST /api/articles/{slug}/comments secured",
			"DELETE /api/articles/{slug}/comments/{id} secured",
			"DELETE /api/articles/{slug}/favorite secured",
			"POST /api/articles/{slug}/favorite secured",
			"GET /api/profiles/{username} open",
			"DELETE /api/profiles/{username}/follow secured",
			"POST /api/profiles/{username}/follow secured",
			"GET /api/tags open",
			"GET /api/user secured",
			"PUT /api/user secured",
			"POST /api/users open",
			"POST /api/users/login open",
		}},
		// The OpenAPI 3.0 Petstore: an absolute server URL, whose path is
		// the base; no security at all.
		{"petstore.yaml", []string{
			"GET /v1/pets open",
			"POST /v1/pets open",
			"GET /v1/pets/{petId} open",
		}},
		// OpenAPI 3.1 in JSON, no servers: a bearer requirement with scopes.
		{"non-oauth-scopes.json", []string{
			"GET /users secured",
		}},
		// OpenAPI 3.1 with a webhook: the app sends it, it does not serve it.
		{"webhook-example.yaml", []string{
			"GET /pets open",
		}},
		// Server variables take their defaults; a trailing slash of the
		// server URL is dropped; the document's security applies unless an
		// operation replaces it ([] and [{}, …] let anyone in); path item
		// and operation servers replace the document's; a segment mixing
		// text and parameters is one parameter.
		{"shop-3.1.yaml", []string{
			"GET /api/v2 open",
			"GET /api/v2/health open",
			"DELETE /api/v2/orders/{orderId} secured",
			"GET /api/v2/orders/{orderId} secured",
			"GET /api/v2/reports/{name} secured",
			"GET /old/legacy/items secured",
			"POST /rw/legacy/items secured",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "openapi", tt.file)
			got, err := LoadOpenAPI(path)
			if err != nil {
				t.Fatalf("LoadOpenAPI(%s): %v", path, err)
			}
			if diff := cmp.Diff(tt.want, declaredLines(got)); diff != "" {
				t.Errorf("LoadOpenAPI(%s) routes (-want +got):\n%s", path, diff)
			}
			for _, d := range got {
				if d.Source != "openapi:"+path {
					t.Errorf("%s: Source = %q, want %q", declaredLine(d), d.Source, "openapi:"+path)
				}
			}
		})
	}
}

func TestLoadOpenAPIBad(t *testing.T) {
	tests := []struct {
		file string
		want []string // each must be in the error
	}{
		{"not-yaml.yaml", []string{"not-yaml.yaml:4: not YAML or JSON"}},
		{"not-openapi.yaml", []string{"not an OpenAPI document", "no openapi key"}},
		{"swagger2.json", []string{"swagger2.json:2: a Swagger 2.0 document", "convert it"}},
		{"wrong-version.yaml", []string{"wrong-version.yaml:1: openapi: version", `"2.5.0"`, "3.0.x and 3.1.x"}},
		{"list.yaml", []string{"list.yaml:1: not an OpenAPI document", "top level must be a mapping"}},
		{"empty.yaml", []string{"empty file"}},
		{"dangling-ref.yaml", []string{"not a valid OpenAPI document", "Missing"}},
		{"ref-outside.yaml", []string{"outside the document's directory"}},
		{"no-such-file.yaml", []string{"reading OpenAPI document", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "openapi", "bad", tt.file)
			got, err := LoadOpenAPI(path)
			if err == nil {
				t.Fatalf("LoadOpenAPI(%s) = %d routes, want an error", path, len(got))
			}
			msg := err.Error()
			for _, w := range append([]string{path}, tt.want...) {
				if !strings.Contains(msg, w) {
					t.Errorf("LoadOpenAPI(%s) error %q does not say %q", path, msg, w)
				}
			}
		})
	}
}

// TestLoadOpenAPIRefsBeside follows a $ref to a file next to the document,
// the way documents split into several files are written.
func TestLoadOpenAPIRefsBeside(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("api.yaml", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /things/{id}:\n    $ref: 'things.yaml'\n")
	write("things.yaml", "get:\n  parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n  responses: {'200': {description: ok}}\n")
	got, err := LoadOpenAPI(filepath.Join(dir, "api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"GET /things/{id} open"}, declaredLines(got)); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
}

func TestLoadOpenAPITooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxOpenAPISize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := LoadOpenAPI(path); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("LoadOpenAPI(%d bytes) error = %v, want one saying it is too large", maxOpenAPISize+1, err)
	}
}

// FuzzParseOpenAPI: whatever the document, LoadOpenAPI answers routes that
// are templates, or an error; it neither crashes nor reads outside the
// document's directory.
func FuzzParseOpenAPI(f *testing.F) {
	for _, name := range []string{"conduit.yml", "petstore.yaml", "non-oauth-scopes.json", "webhook-example.yaml", "shop-3.1.yaml", "bad/swagger2.json", "bad/not-yaml.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "openapi", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseOpenAPI(data, "fuzz.yaml", filepath.Join(dir, "fuzz.yaml"))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, d := range got {
			if d.Method == "" || !strings.HasPrefix(d.Template, "/") || d.Secured == nil {
				t.Fatalf("route %+v: want a method, a template and Secured", d)
			}
		}
	})
}
