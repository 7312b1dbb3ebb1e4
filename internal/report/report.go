// Package report renders a diagnosis (diag.Report) for people and
// machines: text in the style of `linkerd check` (grouped checks, markers,
// remedies, a one-line verdict), versioned JSON, and JUnit XML with one
// test case per check. One result model, many renderers: every renderer
// reads the same Report and none of them judges anything.
//
// Text from a token or a certificate reaches a terminal only through
// textsafe; JSON keeps it as it is, escaped by the encoder.
package report

import (
	"fmt"
	"io"

	"github.com/sportello/sportello/internal/diag"
)

// Formats are the names accepted by --format.
var Formats = []string{"text", "json", "junit"}

// Options tune the text renderer.
type Options struct {
	Color bool // ANSI colours (only on a terminal, never with NO_COLOR)
	// Saved says the report was read from a file (sportello report): the
	// text says when and with what it was made, since it is not this
	// machine's state now.
	Saved bool
}

// Write renders r in format to w.
func Write(w io.Writer, format string, r *diag.Report, o Options) error {
	switch format {
	case "text":
		return Text(w, r, o)
	case "json":
		return JSON(w, r)
	case "junit":
		return JUnit(w, r)
	}
	return fmt.Errorf("formato sconosciuto %q", format)
}

// JSON writes r as indented JSON (format version diag.ReportVersion), with
// the report's own encoding (diag.Report.WriteJSON). Control characters in
// strings stay, escaped as \u001b and the like.
func JSON(w io.Writer, r *diag.Report) error { return r.WriteJSON(w) }
