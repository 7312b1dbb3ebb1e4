// Package yamlfast parses the small subset of YAML that flow files use,
// several times faster than gopkg.in/yaml.v3, into the same yaml.Node tree.
//
// It is a fast path, not a YAML parser: whatever falls outside the subset, or
// looks even slightly doubtful, makes Parse return ok=false, and the caller
// then parses the input with yaml.v3, which also reports the errors.
//
// The subset:
//   - one document, with an optional leading "---" line, optionally after a
//     UTF-8 byte order mark; LF or CRLF line ends; blank and comment lines;
//   - block mappings with plain, single-line keys; block sequences ("- "
//     items), including "- key: value" mappings inside items and sequences
//     indented at the same column as their parent key;
//   - single-line plain scalars, single-line single- and double-quoted
//     scalars (with the escapes yaml.v3 knows), literal block scalars "|",
//     "|-" and "|+" (without an indentation indicator), empty values, and
//     single-line flow sequences of scalars ("[a, b, 'c']").
//
// Refused (ok=false): tabs anywhere, anchors, aliases, tags, folded scalars,
// flow mappings, multi-line plain, quoted or flow values, quoted or complex
// keys, merge keys, directives, "..." and a second document, empty literal
// blocks, indentation that matches no open block, and characters yaml.v3
// rejects or treats as line breaks.
package yamlfast

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

const (
	// maxKeyLen keeps keys well below yaml.v3's 1024-character limit for
	// simple keys.
	maxKeyLen = 1000
	// maxDepth bounds nesting; flow files need about six levels.
	maxDepth = 100
)

// Parse parses data as one YAML document and returns the same *yaml.Node
// tree (gopkg.in/yaml.v3 types) that yaml.v3 would produce for it, or ok=false
// when data uses anything outside the supported subset, in which case the
// caller falls back to yaml.v3. It never panics.
//
// Comments are skipped: HeadComment, LineComment and FootComment are always
// empty, where yaml.v3 would fill them. Every other field (Kind, Style, Tag,
// Value, Line, Column, Content, and the DocumentNode wrapper's position) is
// what yaml.v3 sets.
func Parse(data []byte) (doc *yaml.Node, ok bool) {
	defer func() {
		if recover() != nil {
			doc, ok = nil, false
		}
	}()
	return parse(data)
}

// parse is Parse without the recover, so that tests see any panic.
func parse(data []byte) (*yaml.Node, bool) {
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		// yaml.v3 drops a leading byte order mark without counting it.
		data = data[3:]
	}
	lines, crlf, ascii, ok := check(data)
	if !ok {
		return nil, false
	}
	p := parser{src: string(data), crlf: crlf, ascii: ascii, chunk: 2*lines + 8}
	return p.document()
}

// check accepts only characters that yaml.v3 reads as ordinary text: no
// tabs, no control characters, no CR other than in CRLF, no NEL, LS or PS
// (yaml.v3 counts them as line breaks), no BOM inside, valid UTF-8. It counts
// the lines to size the node slab, and tells whether all is ASCII.
func check(b []byte) (lines int, crlf, ascii, ok bool) {
	ascii = true
	for i := 0; i < len(b); {
		if i+8 <= len(b) {
			// Eight ASCII bytes at a time, none of them a control
			// character but LF.
			x := binary.LittleEndian.Uint64(b[i:])
			if x&hiBits == 0 {
				nl := zeroBytes(x ^ 0x0A0A0A0A0A0A0A0A)
				bad := zeroBytes(x&0xE0E0E0E0E0E0E0E0)&^nl | zeroBytes(x^0x7F7F7F7F7F7F7F7F)
				if bad == 0 {
					lines += bits.OnesCount64(nl)
					i += 8
					continue
				}
			}
		}
		c := b[i]
		if c >= 0x20 && c < 0x7F {
			i++
			continue
		}
		switch {
		case c == '\n':
			lines++
			i++
			continue
		case c == '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				crlf = true
				i++
				continue
			}
			return 0, false, false, false
		case c < utf8.RuneSelf:
			return 0, false, false, false
		}
		r, size := utf8.DecodeRune(b[i:])
		if size == 1 || !textRune(r) {
			return 0, false, false, false
		}
		ascii = false
		i += size
	}
	return lines, crlf, ascii, true
}

const hiBits = 0x8080808080808080

// zeroBytes sets the high bit of each byte of the result whose byte in x is
// zero, and clears every other bit.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7F7F7F7F7F7F7F7F
	return ^((x&low7 + low7) | x) & hiBits
}

// textRune reports whether yaml.v3 reads the non-ASCII rune r as an ordinary
// printable character.
func textRune(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0xD7FF:
		return r != 0x2028 && r != 0x2029
	case r >= 0xE000 && r <= 0xFFFD:
		return r != 0xFEFF
	}
	return r >= 0x10000 && r <= 0x10FFFF
}

// frame is an open block mapping or sequence.
type frame struct {
	node   *yaml.Node
	indent int // column (0-based) of its keys or dashes
	start  int // index in parser.items of its first child
	seq    bool
	// indentless marks a sequence whose dashes stand at the column of
	// its parent mapping's keys.
	indentless bool
	// pending: a key (or a dash) was read whose value is not known yet;
	// it is null unless a nested block follows. pline and pcol are where
	// yaml.v3 places that null.
	pending     bool
	pline, pcol int
}

type parser struct {
	src   string
	crlf  bool
	ascii bool

	line         int // 1-based number of the current line
	ls, le, next int // current line: start, end (before CR LF), next line start

	nodes []yaml.Node  // slab of nodes
	ptrs  []*yaml.Node // slab of Content slices
	chunk int          // size of the next slab
	items []*yaml.Node // children of the open frames
	stack []frame      // open blocks, root first
	buf   []byte       // scratch for escaped and multi-line values
}

func (p *parser) newNode() *yaml.Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]yaml.Node, 0, p.size(len(p.nodes)))
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	return &p.nodes[len(p.nodes)-1]
}

// size is the length of a new slab: the estimate first, an eighth of it
// when the estimate proved short.
func (p *parser) size(used int) int {
	if used == 0 {
		return p.chunk
	}
	return max(p.chunk/8, 256)
}

// content moves the items from start on into a Content slice.
func (p *parser) content(start int) []*yaml.Node {
	n := len(p.items) - start
	if n == 0 {
		return nil
	}
	if cap(p.ptrs)-len(p.ptrs) < n {
		p.ptrs = make([]*yaml.Node, 0, max(n, p.size(len(p.ptrs))))
	}
	l := len(p.ptrs)
	p.ptrs = append(p.ptrs, p.items[start:]...)
	p.items = p.items[:start]
	return p.ptrs[l : l+n : l+n]
}

// loadLine sets le and next for the line starting at ls.
func (p *parser) loadLine() {
	if i := strings.IndexByte(p.src[p.ls:], '\n'); i >= 0 {
		p.le = p.ls + i
		p.next = p.le + 1
	} else {
		p.le = len(p.src)
		p.next = p.le
	}
	if p.crlf && p.le > p.ls && p.src[p.le-1] == '\r' {
		p.le--
	}
}

func (p *parser) advance() {
	p.ls = p.next
	p.line++
}

// col is the 1-based column of byte offset i of the current line, counted
// in runes as yaml.v3 does.
func (p *parser) col(i int) int {
	c := i - p.ls + 1
	if p.ascii {
		return c
	}
	for j := p.ls; j < i; j++ {
		if p.src[j]&0xC0 == 0x80 {
			c--
		}
	}
	return c
}

func (p *parser) document() (*yaml.Node, bool) {
	doc := p.newNode()
	doc.Kind = yaml.DocumentNode
	explicit := false
	p.line = 1
	for p.ls < len(p.src) {
		p.loadLine()
		i := p.ls
		for i < p.le && p.src[i] == ' ' {
			i++
		}
		if i == p.le || p.src[i] == '#' {
			p.advance()
			continue
		}
		if i == p.ls && p.le-i >= 3 && (p.src[i:i+3] == "---" || p.src[i:i+3] == "...") {
			// A document marker: only a leading "---", alone or with a
			// comment, is in the subset.
			j := i + 3
			for j < p.le && p.src[j] == ' ' {
				j++
			}
			if len(p.stack) > 0 || explicit || p.src[i] == '.' || j == i+3 && j < p.le || j < p.le && p.src[j] != '#' {
				return nil, false
			}
			explicit = true
			doc.Line, doc.Column = p.line, 1
			p.advance()
			continue
		}
		ind := i - p.ls
		dash := p.src[i] == '-' && (i+1 == p.le || p.src[i+1] == ' ')
		if len(p.stack) == 0 {
			if len(p.items) > 0 {
				return nil, false // content after the root block
			}
			root := p.push(dash, ind, false)
			if !explicit {
				doc.Line, doc.Column = root.Line, root.Column
			}
		} else if !p.close(ind, dash) {
			return nil, false
		}
		if !p.entry(i, dash) {
			return nil, false
		}
	}
	if len(p.stack) == 0 {
		return nil, false // nothing but comments
	}
	for len(p.stack) > 0 {
		if t := &p.stack[len(p.stack)-1]; t.pending {
			p.null(t)
		}
		p.pop()
	}
	doc.Content = p.content(0)
	return doc, true
}

// push opens a block at column ind of the current line, as the value of the
// current top frame (or as the root).
func (p *parser) push(seq bool, ind int, indentless bool) *yaml.Node {
	n := p.newNode()
	n.Line, n.Column = p.line, ind+1
	if seq {
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
	} else {
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
	}
	if len(p.stack) > 0 {
		p.stack[len(p.stack)-1].pending = false
	}
	p.items = append(p.items, n)
	p.stack = append(p.stack, frame{node: n, indent: ind, start: len(p.items), seq: seq, indentless: indentless})
	return n
}

func (p *parser) pop() {
	t := &p.stack[len(p.stack)-1]
	t.node.Content = p.content(t.start)
	p.stack = p.stack[:len(p.stack)-1]
}

// null gives the pending key or dash of t its null value.
func (p *parser) null(t *frame) {
	n := p.newNode()
	n.Kind, n.Tag = yaml.ScalarNode, "!!null"
	n.Line, n.Column = t.pline, t.pcol
	p.items = append(p.items, n)
	t.pending = false
}

// close prepares the stack for a line whose content starts at column ind:
// it opens the nested block a pending key asks for, or settles pending
// values and closes the blocks the line leaves. It reports whether the top
// block then sits at column ind.
func (p *parser) close(ind int, dash bool) bool {
	for {
		t := &p.stack[len(p.stack)-1]
		if t.pending {
			if ind > t.indent {
				if t.seq || len(p.stack) >= maxDepth {
					return false
				}
				p.push(dash, ind, false)
				return true
			}
			if ind == t.indent && dash && !t.seq {
				if len(p.stack) >= maxDepth {
					return false
				}
				p.push(true, ind, true)
				return true
			}
			p.null(t)
		}
		if t.indent > ind || t.indentless && t.indent == ind && !dash {
			p.pop()
			if len(p.stack) == 0 {
				return false
			}
			continue
		}
		return t.indent == ind
	}
}

// entry reads the line whose content starts at i into the top block, whose
// column is that of i, and moves to the next line to read.
func (p *parser) entry(i int, dash bool) bool {
	t := &p.stack[len(p.stack)-1]
	if t.seq != dash {
		return false
	}
	if !dash {
		return p.pair(i)
	}
	j := i + 1
	for j < p.le && p.src[j] == ' ' {
		j++
	}
	if j == p.le || p.src[j] == '#' {
		t.pending, t.pline, t.pcol = true, p.line, i-p.ls+2
		p.advance()
		return true
	}
	switch p.src[j] {
	case '"', '\'', '|', '[':
		return p.value(j)
	}
	_, _, kind := p.plain(j)
	switch kind {
	case plainKey:
		// "- key: value" opens a mapping at the key's column.
		if len(p.stack) >= maxDepth {
			return false
		}
		p.push(false, j-p.ls, false)
		return p.pair(j)
	case plainBad:
		return false
	}
	return p.value(j)
}

// pair reads "key: value" or "key:" starting at i.
func (p *parser) pair(i int) bool {
	end, colon, kind := p.plain(i)
	if kind != plainKey || colon-i > maxKeyLen {
		return false
	}
	if !p.scalar(i, end) {
		return false
	}
	j := colon + 1
	for j < p.le && p.src[j] == ' ' {
		j++
	}
	if j == p.le || p.src[j] == '#' {
		t := &p.stack[len(p.stack)-1]
		t.pending, t.pline, t.pcol = true, p.line, p.col(colon)+1
		p.advance()
		return true
	}
	return p.value(j)
}

// value reads the value starting at i, which runs to the end of the line
// or, for a literal block, over the lines below.
func (p *parser) value(i int) bool {
	switch p.src[i] {
	case '"', '\'':
		v, end, ok := p.quoted(i)
		if !ok || !p.rest(end) {
			return false
		}
		n := p.newNode()
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", v
		n.Style = yaml.DoubleQuotedStyle
		if p.src[i] == '\'' {
			n.Style = yaml.SingleQuotedStyle
		}
		n.Line, n.Column = p.line, p.col(i)
		p.items = append(p.items, n)
	case '|':
		return p.literal(i)
	case '[':
		if !p.flow(i) {
			return false
		}
	default:
		end, _, kind := p.plain(i)
		if kind == plainKey || kind == plainBad {
			return false
		}
		if !p.scalar(i, end) {
			return false
		}
	}
	p.advance()
	return true
}

// rest reports whether only blanks and a comment follow offset i.
func (p *parser) rest(i int) bool {
	j := i
	for j < p.le && p.src[j] == ' ' {
		j++
	}
	return j == p.le || p.src[j] == '#' && j > i
}

// scalar appends the plain scalar src[i:end].
func (p *parser) scalar(i, end int) bool {
	v := p.src[i:end]
	tag, ok := plainTag(v)
	if !ok {
		return false
	}
	n := p.newNode()
	n.Kind, n.Tag, n.Value = yaml.ScalarNode, tag, v
	n.Line, n.Column = p.line, p.col(i)
	p.items = append(p.items, n)
	return true
}

// How a plain scalar ends.
const (
	plainBad     = iota // not a plain scalar in the subset
	plainEnd            // at the end of the line
	plainComment        // at " #"
	plainKey            // at ": " or ":" and the end of the line
)

// plain scans the one-line block plain scalar starting at i. end is where
// its text ends (trailing blanks excluded); for plainKey, colon is the
// offset of the ':'.
func (p *parser) plain(i int) (end, colon, kind int) {
	s := p.src
	if !p.plainStart(i, false) {
		return 0, 0, plainBad
	}
	end = i
	for j := i; j < p.le; {
		c := s[j]
		if c == ' ' {
			k := j + 1
			for k < p.le && s[k] == ' ' {
				k++
			}
			if k < p.le && s[k] == '#' {
				return end, 0, plainComment
			}
			j = k
			continue
		}
		if c == ':' && (j+1 == p.le || s[j+1] == ' ') {
			return end, j, plainKey
		}
		j++
		end = j
	}
	return end, 0, plainEnd
}

// plainTag resolves a plain scalar exactly as yaml.v3 does. It refuses "<<",
// which yaml.v3 reads as a merge key.
func plainTag(v string) (string, bool) {
	switch v[0] {
	case 't', 'T', 'f', 'F', 'n', 'N', '~', 'y', 'Y', 'o', 'O':
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool", true
		case "null", "Null", "NULL", "~":
			return "!!null", true
		}
	case '+', '-', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// Numbers, timestamps and the .inf/.nan spellings: let yaml.v3's
		// own resolver decide.
		n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
		return n.ShortTag(), true
	case '<':
		if v == "<<" {
			return "", false
		}
	}
	return "!!str", true
}

// quoted reads the one-line quoted scalar starting at i and returns its
// value and the offset after the closing quote.
func (p *parser) quoted(i int) (v string, end int, ok bool) {
	s := p.src
	q := s[i]
	j := i + 1
	for j < p.le {
		c := s[j]
		if c == q {
			if q == '\'' && j+1 < p.le && s[j+1] == '\'' {
				break
			}
			return s[i+1 : j], j + 1, true
		}
		if c == '\\' && q == '"' {
			break
		}
		j++
	}
	if j >= p.le {
		return "", 0, false // the scalar goes on past the line
	}
	b := append(p.buf[:0], s[i+1:j]...)
	defer func() { p.buf = b[:0] }()
	for j < p.le {
		c := s[j]
		switch {
		case c == q && q == '\'':
			if j+1 < p.le && s[j+1] == '\'' {
				b = append(b, '\'')
				j += 2
				continue
			}
			return string(b), j + 1, true
		case c == q:
			return string(b), j + 1, true
		case c == '\\' && q == '"':
			if j+1 >= p.le {
				return "", 0, false // escaped line break
			}
			var size int
			switch e := s[j+1]; e {
			case 'x':
				size = 2
			case 'u':
				size = 4
			case 'U':
				size = 8
			default:
				if escapes[e] == "" {
					return "", 0, false
				}
				b = append(b, escapes[e]...)
			}
			j += 2
			if size > 0 {
				if j+size > p.le {
					return "", 0, false
				}
				r := 0
				for _, h := range []byte(s[j : j+size]) {
					switch {
					case h >= '0' && h <= '9':
						r = r<<4 + int(h-'0')
					case h >= 'a' && h <= 'f':
						r = r<<4 + int(h-'a'+10)
					case h >= 'A' && h <= 'F':
						r = r<<4 + int(h-'A'+10)
					default:
						return "", 0, false
					}
				}
				if r >= 0xD800 && r <= 0xDFFF || r > 0x10FFFF {
					return "", 0, false
				}
				b = utf8.AppendRune(b, rune(r))
				j += size
			}
		default:
			b = append(b, c)
			j++
		}
	}
	return "", 0, false
}

// escapes maps the escape letters of double-quoted scalars that yaml.v3
// knows, but for x, u and U, to the text they stand for.
var escapes = [256]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r",
	'e': "\x1b", ' ': " ", '"': "\"", '\'': "'", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// flow reads the one-line flow sequence of scalars starting at i.
func (p *parser) flow(i int) bool {
	s := p.src
	seq := p.newNode()
	seq.Kind, seq.Tag, seq.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
	seq.Line, seq.Column = p.line, p.col(i)
	p.items = append(p.items, seq)
	start := len(p.items)
	j := p.skip(i + 1)
	if j < p.le && s[j] == ']' {
		return p.rest(j + 1)
	}
	for j < p.le {
		n := p.newNode()
		n.Kind, n.Line, n.Column = yaml.ScalarNode, p.line, p.col(j)
		switch s[j] {
		case '"', '\'':
			v, end, ok := p.quoted(j)
			if !ok {
				return false
			}
			n.Tag, n.Value = "!!str", v
			n.Style = yaml.DoubleQuotedStyle
			if s[j] == '\'' {
				n.Style = yaml.SingleQuotedStyle
			}
			j = p.skip(end)
		default:
			end, next, ok := p.flowPlain(j)
			if !ok {
				return false
			}
			v := s[j:end]
			if n.Tag, ok = plainTag(v); !ok {
				return false
			}
			n.Value = v
			j = next
		}
		p.items = append(p.items, n)
		if j == p.le {
			return false
		}
		switch s[j] {
		case ']':
			seq.Content = p.content(start)
			return p.rest(j + 1)
		case ',':
			j = p.skip(j + 1)
			if j < p.le && s[j] == ']' {
				return false // trailing comma
			}
		default:
			return false
		}
	}
	return false
}

func (p *parser) skip(i int) int {
	for i < p.le && p.src[i] == ' ' {
		i++
	}
	return i
}

// flowPlain scans a plain scalar inside a flow sequence; it ends before ','
// or ']' (next), trailing blanks excluded (end).
func (p *parser) flowPlain(i int) (end, next int, ok bool) {
	s := p.src
	if !p.plainStart(i, true) {
		return 0, 0, false
	}
	end = i
	for j := i; j < p.le; {
		c := s[j]
		switch c {
		case ' ':
			j = p.skip(j)
			continue
		case ',', ']':
			return end, j, true
		case '[', '{', '}', '?', ':', '#':
			return 0, 0, false
		}
		j++
		end = j
	}
	return 0, 0, false
}

// plainStart reports whether a plain scalar of the subset starts at i: not
// with an indicator, but for '-' before a character that cannot end the
// scalar there (in a flow sequence: nor a flow indicator).
func (p *parser) plainStart(i int, flow bool) bool {
	switch p.src[i] {
	case '-':
		if i+1 == p.le {
			return false
		}
		switch p.src[i+1] {
		case ' ':
			return false
		case ',', '[', ']', '{', '}', '#', '?', ':':
			return !flow
		}
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// literal reads the literal block scalar whose '|' is at i, over the lines
// below, and leaves the parser on the first line after it.
func (p *parser) literal(i int) bool {
	s := p.src
	h := i + 1
	chomp := 0
	if h < p.le && s[h] == '-' {
		chomp, h = -1, h+1
	} else if h < p.le && s[h] == '+' {
		chomp, h = 1, h+1
	}
	if !p.rest(h) {
		return false // indentation indicator or text after '|'
	}
	n := p.newNode()
	n.Kind, n.Tag, n.Style = yaml.ScalarNode, "!!str", yaml.LiteralStyle
	n.Line, n.Column = p.line, p.col(i)
	p.items = append(p.items, n)
	parent := p.stack[len(p.stack)-1].indent
	p.advance()

	b := p.buf[:0]
	defer func() { p.buf = b[:0] }()
	// indent: the block's indentation, found on its first non-empty line;
	// widest: the most spaces on an empty line before that; lead: the
	// empty lines before it; breaks: empty lines since the last text line.
	indent, widest, lead, breaks, lines := 0, 0, 0, 0, 0
	first, firstEnd := 0, 0
	lastBreak := false
	for p.ls < len(s) {
		p.loadLine()
		sp := p.skip(p.ls) - p.ls
		brk := p.next > p.le
		if p.ls+sp == p.le && (indent == 0 || sp <= indent) {
			// An empty line.
			if indent == 0 {
				widest = max(widest, sp)
			}
			if brk {
				breaks++
			}
			p.advance()
			continue
		}
		if indent == 0 {
			if sp <= parent || sp < widest {
				return false // yaml.v3 reads an empty block scalar
			}
			indent = sp
		}
		if sp < indent {
			break // a less indented line ends the block
		}
		if lines == 0 {
			first, firstEnd, lead = p.ls+indent, p.le, breaks
		} else {
			b = append(b, '\n')
		}
		for ; breaks > 0; breaks-- {
			b = append(b, '\n')
		}
		b = append(b, s[p.ls+indent:p.le]...)
		lines++
		lastBreak = brk
		p.advance()
	}
	if lines == 0 {
		return false
	}
	clip := chomp != -1 && lastBreak // the last line break stays
	keep := chomp == 1 && breaks > 0 // and so do the empty lines after it
	switch {
	case lines == 1 && lead == 0 && !clip && !keep:
		n.Value = s[first:firstEnd]
	case lines == 1 && lead == 0 && clip && !keep && s[firstEnd] == '\n':
		n.Value = s[first : firstEnd+1]
	default:
		if clip {
			b = append(b, '\n')
		}
		if chomp == 1 {
			for ; breaks > 0; breaks-- {
				b = append(b, '\n')
			}
		}
		n.Value = string(b)
	}
	return true
}
