// Package console adapts output to the terminal it goes to. On Windows a
// console whose output code page is not UTF-8 (65001) often draws with a
// font that lacks ✓, ✗ and →: there the text report and the plain mode get
// ASCII stand-ins for the few symbols they use (Go writes to a console
// with WriteConsoleW, so accented letters and «» arrive intact). Output to
// a file or a pipe, and every other OS, keeps the symbols: the bytes are
// UTF-8 whatever the console would do.
//
// Save keeps the console's modes and code page and restores them, so that
// the TUI leaves the console as it found it even if it fails half-way.
package console

import (
	"io"
	"strings"
)

// asciiReplacer turns the symbols sportello prints into ASCII.
var asciiReplacer = strings.NewReplacer(
	"✓", "+", "✗", "x", "→", "->", "›", ">", "•", "*", "–", "-", "—", "-", "…", "...",
	"‘", "'", "’", "'", "“", "\"", "”", "\"",
)

// ASCII is s with the symbols replaced.
func ASCII(s string) string { return asciiReplacer.Replace(s) }

// asciiWriter replaces the symbols on their way to w. The symbols are
// whole in every Write: the renderers write whole lines.
type asciiWriter struct{ w io.Writer }

func (a asciiWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(a.w, ASCII(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Writer returns w itself where it can show the symbols, else a writer
// that replaces them with ASCII.
func Writer(w io.Writer) io.Writer {
	if Unicode(w) {
		return w
	}
	return asciiWriter{w}
}

// Unicode reports whether w can show ✓ ✗ →: false only for a Windows
// console whose output code page is not UTF-8.
func Unicode(w io.Writer) bool { return unicodeOK(w) }
