// Package markup renders the small markdown subset of flow texts (see
// flows/README.md): **bold**, lists ("- " at the start of a line), links
// [text](https://…) and bare https:// addresses. It lays text out in lines
// for the TUI (styled, wrapped to a width) and for the plain mode (no styles,
// no wrapping).
//
// Input must already be safe for a terminal (textsafe) with its {{facts}}
// expanded: the styles add escape sequences, so sanitising comes first.
package markup

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Style says how the marked-up parts look. Nil functions leave text as it is.
type Style struct {
	Bold   func(string) string // **bold**
	Link   func(string) string // an address
	Bullet string              // the marker of a list item; "- " when empty
}

// Plain is the style of the plain mode: no escape codes, "- " lists.
var Plain = Style{}

func (st Style) bullet() string {
	if st.Bullet == "" {
		return "- "
	}
	return st.Bullet
}

// span is a run of text with one look.
type span struct {
	text string
	bold bool
	link bool
}

// block is a paragraph or a list item: its text joined on one line.
type block struct {
	text  string
	item  bool
	blank bool // an empty line between paragraphs
}

// Lines lays s out in lines at most width cells wide (width <= 0: one line
// per paragraph or item, no wrapping). Paragraph lines written on several
// source lines are joined and wrapped again; list items hang under their
// bullet; blank lines are kept.
func Lines(s string, width int, st Style) []string {
	var out []string
	for _, b := range blocks(s) {
		switch {
		case b.blank:
			out = append(out, "")
		case b.item:
			bul := st.bullet()
			out = append(out, Hang(bul, wrap(parse(b.text), Inner(width, bul), st))...)
		default:
			out = append(out, wrap(parse(b.text), width, st)...)
		}
	}
	return out
}

// Render is Lines joined with newlines.
func Render(s string, width int, st Style) string {
	return strings.Join(Lines(s, width, st), "\n")
}

// Inline renders s as a single line (titles, labels, snippets): line breaks
// become spaces, list markers stay as written.
func Inline(s string, st Style) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.Join(wrap(parse(s), 0, st), " ")
}

// Hang puts prefix before the first line and indents the others to match:
// list items, numbered steps and choices.
func Hang(prefix string, lines []string) []string {
	pad := strings.Repeat(" ", ansi.StringWidth(prefix))
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return lines
}

// Inner is the width left beside prefix in a line of width cells: at least
// one, and 0 (no wrapping) when width is 0.
func Inner(width int, prefix string) int {
	if width <= 0 {
		return 0
	}
	return max(1, width-ansi.StringWidth(prefix))
}

// blocks splits s into paragraphs, list items and blank lines. A line that
// follows a list item without a blank line and is indented continues it.
func blocks(s string) []block {
	var out []block
	var cur *block
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.TrimRight(s, "\n "), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
			if len(out) > 0 && !out[len(out)-1].blank {
				out = append(out, block{blank: true})
			}
		case strings.HasPrefix(trimmed, "- "):
			flush()
			cur = &block{text: strings.TrimSpace(trimmed[2:]), item: true}
		case cur != nil && (!cur.item || line != strings.TrimLeft(line, " ")):
			cur.text += " " + trimmed
		default:
			flush()
			cur = &block{text: trimmed}
		}
	}
	flush()
	for len(out) > 0 && out[0].blank {
		out = out[1:]
	}
	return out
}

// parse splits one block into spans: bold runs, links and plain text. A
// link [text](url) becomes "text (url)"; a lone "**" stays as written.
func parse(s string) []span {
	var out []span
	var plain strings.Builder
	bold := false
	emit := func(sp span) {
		if plain.Len() > 0 {
			out = append(out, span{text: plain.String(), bold: bold})
			plain.Reset()
		}
		if sp.text != "" {
			out = append(out, sp)
		}
	}
	for i := 0; i < len(s); {
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "**") && (bold || strings.Contains(rest[2:], "**")):
			emit(span{})
			bold = !bold
			i += 2
		case rest[0] == '[':
			text, url, n := linkAt(rest)
			if n == 0 {
				plain.WriteByte('[')
				i++
				continue
			}
			emit(span{})
			if text != url {
				out = append(out, span{text: text + " (", bold: bold})
				out = append(out, span{text: url, link: true})
				out = append(out, span{text: ")", bold: bold})
			} else {
				out = append(out, span{text: url, link: true})
			}
			i += n
		case strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://"):
			url := bareURL(rest)
			emit(span{text: url, link: true})
			i += len(url)
		default:
			plain.WriteByte(s[i])
			i++
		}
	}
	emit(span{})
	return out
}

// linkAt reads [text](url) at the start of s and returns its parts and
// length, or n == 0 when s does not start with a well-formed link.
func linkAt(s string) (text, url string, n int) {
	end := strings.Index(s, "](")
	if end < 0 || strings.Contains(s[1:end], "[") {
		return "", "", 0
	}
	close := strings.IndexByte(s[end+2:], ')')
	if close < 0 {
		return "", "", 0
	}
	text = strings.TrimSpace(s[1:end])
	url = strings.TrimSpace(s[end+2 : end+2+close])
	if text == "" || url == "" || strings.ContainsAny(url, " ") {
		return "", "", 0
	}
	return text, url, end + 2 + close + 1
}

// bareURL returns the address at the start of s: up to a space, without
// the punctuation that ends a sentence.
func bareURL(s string) string {
	end := strings.IndexAny(s, " \n")
	if end < 0 {
		end = len(s)
	}
	url := s[:end]
	for len(url) > 0 {
		last := url[len(url)-1]
		if strings.IndexByte(".,;:!?'\"", last) >= 0 || (last == ')' && !strings.Contains(url, "(")) {
			url = url[:len(url)-1]
			continue
		}
		if strings.HasSuffix(url, "»") {
			url = strings.TrimSuffix(url, "»")
			continue
		}
		break
	}
	return url
}

// piece is a part of a word with one look: "**PEC**?" is one word of two
// pieces.
type piece struct {
	text string
	sp   span
}

// wrap lays spans out in lines of at most width cells (no limit when width
// <= 0), breaking at spaces; a word longer than a line is cut.
func wrap(spans []span, width int, st Style) []string {
	var words [][]piece
	joined := false // the next piece continues the last word
	for _, sp := range spans {
		for i, f := range strings.Split(sp.text, " ") {
			if i > 0 {
				joined = false
			}
			if f == "" {
				continue
			}
			if joined && len(words) > 0 {
				words[len(words)-1] = append(words[len(words)-1], piece{f, sp})
			} else {
				words = append(words, []piece{{f, sp}})
			}
			joined = true
		}
		if strings.HasSuffix(sp.text, " ") {
			joined = false
		}
	}

	var lines []string
	var line strings.Builder
	lineW := 0
	for _, w := range words {
		ww := 0
		for _, p := range w {
			ww += ansi.StringWidth(p.text)
		}
		if width > 0 && lineW > 0 && lineW+1+ww > width {
			lines = append(lines, line.String())
			line.Reset()
			lineW = 0
		}
		if lineW > 0 {
			line.WriteByte(' ')
			lineW++
		}
		for _, p := range w {
			if width > 0 && lineW+ansi.StringWidth(p.text) > width {
				// Too long for any line: cut it where the line ends.
				for _, part := range strings.Split(ansi.Hardwrap(p.text, width, false), "\n") {
					if lineW > 0 && lineW+ansi.StringWidth(part) > width {
						lines = append(lines, line.String())
						line.Reset()
						lineW = 0
					}
					line.WriteString(style(part, p.sp, st))
					lineW += ansi.StringWidth(part)
				}
				continue
			}
			line.WriteString(style(p.text, p.sp, st))
			lineW += ansi.StringWidth(p.text)
		}
	}
	if line.Len() > 0 || len(lines) == 0 {
		lines = append(lines, line.String())
	}
	return lines
}

func style(s string, sp span, st Style) string {
	switch {
	case sp.link && st.Link != nil:
		return st.Link(s)
	case sp.bold && st.Bold != nil:
		return st.Bold(s)
	}
	return s
}
