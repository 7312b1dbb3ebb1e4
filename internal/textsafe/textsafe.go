// Package textsafe makes text from outside the program (a token's label, a
// certificate subject, a flow file) safe to print on a terminal: no control
// characters, no escape sequences, no bidirectional overrides, valid UTF-8.
// Unsafe characters are not dropped silently: they become a visible \xNN or
// \u{NNNN} so an operator can see that something odd was there.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s as one safe line: every control character, newlines
// included, is shown escaped.
func Line(s string) string { return clean(s, false) }

// Text returns s safe for a terminal, keeping newlines; tabs become four
// spaces and carriage returns are dropped when they end a line (CRLF).
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\t", "    ")
	return clean(s, true)
}

// IsSafe reports whether Line(s) == s, without allocating.
func IsSafe(s string) bool { return isSafe(s, false) }

// IsSafeText reports whether s is safe as multi-line text: like IsSafe, but
// newlines are allowed.
func IsSafeText(s string) bool { return isSafe(s, true) }

func isSafe(s string, newlines bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return false
			}
		}
		if unsafeRune(r) && !(newlines && r == '\n') {
			return false
		}
	}
	return true
}

func clean(s string, keepNewline bool) string {
	if isSafe(s, keepNewline) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewline:
			b.WriteByte('\n')
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u{%04x}`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports runes that can move the cursor, change colours, reorder
// text or hide it: C0 and C1 controls, DEL, bidi controls, line/paragraph
// separators and the byte-order mark.
func unsafeRune(r rune) bool {
	if unicode.IsControl(r) { // C0, DEL, C1
		return true
	}
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, // bidi embedding/isolates
		r == 0x200E || r == 0x200F || r == 0x061C, // bidi marks
		r == 0x2028 || r == 0x2029, r == 0xFEFF:
		return true
	}
	return false
}
