package diag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/sportello/sportello/internal/textsafe"
)

// WriteJSON writes r as indented JSON (format version ReportVersion), the
// one encoding of a report: `diagnose --format json`, `report --format
// json` and the file saved for the office are byte for byte the same for
// the same report. HTML characters are not escaped. Every character that
// must not reach a terminal raw is escaped: encoding/json escapes the C0
// controls, and WriteJSON the rest of what textsafe refuses (DEL, the C1
// controls, bidi overrides and isolates, the byte-order mark), so a
// report shown with cat cannot move the cursor or reorder text. The
// escapes decode to the same strings.
func (r *Report) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	out := buf.Bytes()
	if !textsafe.IsSafeText(string(out)) {
		out = escapeUnsafe(out)
	}
	_, err := w.Write(out)
	return err
}

// escapeUnsafe rewrites the unsafe runes of encoder output (valid UTF-8,
// where runes outside ASCII occur only inside strings) as \uXXXX.
func escapeUnsafe(b []byte) []byte {
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r != '\n' && !textsafe.IsSafe(string(r)) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}
