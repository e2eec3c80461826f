package routes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// maxOpenAPISize bounds what LoadOpenAPI reads of a document and of each
// file it refers to: real documents are a few MiB at most.
const maxOpenAPISize = 32 << 20

// LoadOpenAPI reads an OpenAPI 3.0 or 3.1 document (YAML or JSON) and
// returns its operations, with the servers' base path (the path part of
// servers[0].url, if any) prefixed.
//
// A path item's or an operation's own servers replace the document's, as
// the specification says. An operation is Secured when its effective
// security requirement (its own, else the document's) lists at least one
// requirement and none of them is the empty one ({}), which lets anonymous
// clients in. Webhooks are requests the app sends, not routes it serves,
// and are left out. References ($ref) to other files are followed only
// inside the document's directory; nothing is fetched from the network.
//
// The routes come sorted by template, then method. Errors name the file and
// say what is wrong with it.
func LoadOpenAPI(path string) ([]Declared, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, fmt.Errorf("reading OpenAPI document: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return parseOpenAPI(data, path, abs)
}

// parseOpenAPI reads the document data, found at abs, named path in
// errors and in Source.
func parseOpenAPI(data []byte, path, abs string) (routes []Declared, err error) {
	if line, err := checkOpenAPIVersion(data); err != nil {
		if line > 0 {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer func() {
		// The library is large and reads what the user gives it: a
		// document it cannot cope with is an error, not a crash.
		if r := recover(); r != nil {
			routes, err = nil, fmt.Errorf("%s: not a valid OpenAPI document: the OpenAPI library failed on it: %v", path, r)
		}
	}()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = readRefUnder(filepath.Dir(abs))
	doc, err := loader.LoadFromDataWithPath(data, &url.URL{Path: filepath.ToSlash(abs)})
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid OpenAPI document: %w", path, err)
	}
	if err := doc.Validate(context.Background(),
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(),
	); err != nil {
		return nil, fmt.Errorf("%s: not a valid OpenAPI document: %w", path, err)
	}
	return operations(doc, "openapi:"+path)
}

// readBounded reads the file at path, refusing one larger than
// maxOpenAPISize.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxOpenAPISize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxOpenAPISize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, maxOpenAPISize>>20)
	}
	return data, nil
}

// checkOpenAPIVersion says, before the library reads the document, whether
// it is YAML or JSON at all and an OpenAPI 3.0 or 3.1 document: the
// library's own messages for a Swagger 2.0 file or a stray YAML file do not
// tell the user what to do. It returns the line of the problem when one is
// known.
func checkOpenAPIVersion(data []byte) (line int, err error) {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, errors.New("empty file, not an OpenAPI document")
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if n, text, ok := strings.Cut(rest, ": "); ok {
				if line, err := strconv.Atoi(n); err == nil {
					return line, fmt.Errorf("not YAML or JSON: %s", text)
				}
			}
		}
		return 0, fmt.Errorf("not YAML or JSON: %s", msg)
	}
	if len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return root.Line, errors.New("not an OpenAPI document: the top level must be a mapping with an openapi key")
	}
	top := root.Content[0]
	var version, swagger *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		switch top.Content[i].Value {
		case "openapi":
			version = top.Content[i+1]
		case "swagger":
			swagger = top.Content[i+1]
		}
	}
	switch {
	case version == nil && swagger != nil:
		return swagger.Line, fmt.Errorf("a Swagger %s document; OpenAPI 3.0 and 3.1 are read: convert it first (for instance with swagger2openapi)", swagger.Value)
	case version == nil:
		return 0, errors.New("not an OpenAPI document: no openapi key giving its version (3.0.x or 3.1.x)")
	case version.Kind != yaml.ScalarNode || !(strings.HasPrefix(version.Value, "3.0.") || strings.HasPrefix(version.Value, "3.1.")):
		return version.Line, fmt.Errorf("openapi: version %q is not read; OpenAPI 3.0.x and 3.1.x are", version.Value)
	}
	return 0, nil
}

// readRefUnder returns the loader's reader of referenced files: local files
// in dir or below it only, each bounded like the document.
func readRefUnder(dir string) openapi3.ReadFromURIFunc {
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" && u.Scheme != "file" || u.Host != "" {
			return nil, fmt.Errorf("$ref to %s: only files beside the document are read, never the network; bundle the document into one file", u.Redacted())
		}
		p := filepath.Clean(filepath.FromSlash(u.Path))
		if rel, err := filepath.Rel(dir, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("$ref to %s: outside the document's directory %s", p, dir)
		}
		return readBounded(p)
	}
}

// operations lists the operations of doc's paths.
func operations(doc *openapi3.T, source string) ([]Declared, error) {
	docBase, err := basePath(doc.Servers)
	if err != nil {
		return nil, fmt.Errorf("%s: servers[0]: %w", strings.TrimPrefix(source, "openapi:"), err)
	}
	var out []Declared
	for p, item := range doc.Paths.Map() {
		itemBase := docBase
		if len(item.Servers) > 0 {
			if itemBase, err = basePath(item.Servers); err != nil {
				return nil, fmt.Errorf("%s: paths.%s.servers[0]: %w", strings.TrimPrefix(source, "openapi:"), p, err)
			}
		}
		for method, op := range item.Operations() {
			base := itemBase
			if op.Servers != nil && len(*op.Servers) > 0 {
				if base, err = basePath(*op.Servers); err != nil {
					return nil, fmt.Errorf("%s: paths.%s.%s.servers[0]: %w", strings.TrimPrefix(source, "openapi:"), p, strings.ToLower(method), err)
				}
			}
			reqs := doc.Security
			if op.Security != nil {
				reqs = *op.Security
			}
			secured := requiresCredentials(reqs)
			out = append(out, Declared{
				Method:   strings.ToUpper(method),
				Template: joinBase(base, openAPITemplate(p)),
				Source:   source,
				Secured:  &secured,
			})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Template != out[j].Template {
			return out[i].Template < out[j].Template
		}
		return out[i].Method < out[j].Method
	})
	return out, nil
}

// requiresCredentials says whether a security requirement list lets only
// clients with credentials in: it has at least one alternative, and no
// alternative is the empty requirement, which lets anyone in.
func requiresCredentials(reqs openapi3.SecurityRequirements) bool {
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		if len(r) == 0 {
			return false
		}
	}
	return true
}

// basePath is the path part of servers[0].url, its variables replaced by
// their defaults, without a trailing slash: "" for none or "/".
func basePath(servers openapi3.Servers) (string, error) {
	if len(servers) == 0 || servers[0] == nil {
		return "", nil
	}
	s := servers[0]
	raw := s.URL
	for name, v := range s.Variables {
		if v != nil {
			raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("url %q: %w", s.URL, err)
	}
	p := u.Path
	if u.Scheme == "" && u.Host == "" && !strings.HasPrefix(p, "/") {
		// A relative URL such as "v1" is relative to where the document
		// is served, which the gateway cannot know: take it from the root.
		p = "/" + p
	}
	return strings.TrimRight(p, "/"), nil
}

// joinBase prefixes template with base, so that "/" under "/api" is "/api".
func joinBase(base, template string) string {
	if base != "" && template == "/" {
		return base
	}
	return base + template
}

// openAPITemplate turns an OpenAPI path into the inventory's template
// syntax. A segment that is exactly "{name}" stays; a segment mixing text
// and expressions ("{file}.{ext}", "report.{format}") matches one whole
// segment and becomes the parameter named after its first expression; a
// trailing slash is dropped.
func openAPITemplate(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			continue
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			continue
		}
		segs[i] = s[open : open+end+1]
	}
	t := strings.Join(segs, "/")
	if len(t) > 1 {
		t = strings.TrimRight(t, "/")
	}
	return t
}
