package alert

import (
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"os"
	"strings"
	"text/template"
)

// The built-in templates; copy one and point templates.* at the copy to
// customise it.
//
//go:embed templates/*.tmpl
var builtin embed.FS

// textTemplate parses the file at path, or the built-in named name when
// path is empty.
func textTemplate(name, path string) (*template.Template, error) {
	src, err := templateSource(name, path)
	if err != nil {
		return nil, err
	}
	t, err := template.New(name).Funcs(templateFuncs).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("parsing template %s: %w", orBuiltin(path, name), err)
	}
	return t, nil
}

func htmlTemplate(name, path string) (*htmltemplate.Template, error) {
	src, err := templateSource(name, path)
	if err != nil {
		return nil, err
	}
	t, err := htmltemplate.New(name).Funcs(htmltemplate.FuncMap(templateFuncs)).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("parsing template %s: %w", orBuiltin(path, name), err)
	}
	return t, nil
}

func templateSource(name, path string) (string, error) {
	if path == "" {
		b, err := builtin.ReadFile("templates/" + name)
		return string(b), err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading template: %w (fix the path under templates:, or remove it for the built-in)", err)
	}
	return string(b), nil
}

func orBuiltin(path, name string) string {
	if path == "" {
		return "built-in " + name
	}
	return path
}

type executor interface {
	Execute(w io.Writer, data any) error
}

// render executes t on n.
func render(t executor, n Notification) (string, error) {
	var b strings.Builder
	err := t.Execute(&b, n)
	return b.String(), err
}
