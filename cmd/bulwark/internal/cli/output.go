package cli

import (
	"encoding/json"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// A palette colours words for a terminal, or leaves them alone. Every
// colour is the same number of bytes (an SGR code of two digits and a
// reset), so columns that text/tabwriter lines up stay lined up when each
// cell of a column goes through the palette.
type palette struct{ on bool }

func (p palette) paint(code, s string) string {
	if !p.on {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p palette) bold(s string) string   { return p.paint("01", s) }
func (p palette) dim(s string) string    { return p.paint("02", s) }
func (p palette) red(s string) string    { return p.paint("31", s) }
func (p palette) green(s string) string  { return p.paint("32", s) }
func (p palette) yellow(s string) string { return p.paint("33", s) }
func (p palette) plain(s string) string  { return p.paint("00", s) } // the width of a colour, none of it

// paletteFor decides colour for output written to w by c: --color always
// or never wins; with auto (the default) colour is on when w is a
// terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is
// not "dumb".
func paletteFor(c *cobra.Command, w io.Writer) palette {
	mode := "auto"
	if f := c.Root().PersistentFlags().Lookup("color"); f != nil {
		mode = f.Value.String()
	}
	switch mode {
	case "always":
		return palette{on: true}
	case "never":
		return palette{}
	}
	return palette{on: isTTY(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"}
}

// isTTY reports whether w is a terminal.
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// colorFlag is --color: auto, always or never.
type colorFlag string

func (f *colorFlag) String() string { return string(*f) }
func (f *colorFlag) Type() string   { return "when" }
func (f *colorFlag) Set(s string) error {
	switch s {
	case "auto", "always", "never":
		*f = colorFlag(s)
		return nil
	}
	return usagef("--color: want auto, always or never, got %q", s)
}

// writeJSON writes v as indented JSON and a newline: what --json prints.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// orEmpty makes a nil slice an empty one, so --json prints [] and not
// null for "nothing".
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
