// Package yamlstrict holds what the readers of sportello's own YAML files
// (the flows, the office configuration) share: one document read with
// yaml.v3 into a node tree, its syntax errors in Italian with their line,
// the refusal of binary bytes, anchors, aliases, merge keys and tags (none
// is needed, and refusing them makes alias bombs harmless), and near-miss
// suggestions for unknown names. Root runs the document's checks in
// order for one kind of file, which gives each refusal's tail; the readers
// word the rest themselves.
package yamlstrict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Kind is one kind of file sportello reads as YAML, as Root's refusals
// name it: each message is a common opening and the kind's own tail.
type Kind struct {
	MaxSize int
	TooBig  string // after "file troppo grande (N byte, massimo M): "
	Empty   string // after "file vuoto: " and "file vuoto (solo commenti): "
	Binary  string // after "non è un file di testo UTF-8 (byte 0xNN alla riga N): "
	Several string // after "il file contiene più di un documento YAML (---): "
	Where   string // where anchors, aliases, merge keys and tags are not allowed (see Special)
}

// Refusal is why a file is not one plain YAML document, and where.
type Refusal struct {
	Line, Column int // column 1 when only the line is known
	Msg          string
}

// Root checks that data is one plain YAML document of kind k, no larger
// than k.MaxSize, and returns its root node; otherwise the first refusal.
// yaml.v3 reads it into a node tree once; the reader walks that tree.
func (k Kind) Root(data []byte) (*yaml.Node, *Refusal) {
	refuse := func(line, col int, msg string) (*yaml.Node, *Refusal) {
		return nil, &Refusal{Line: line, Column: col, Msg: msg}
	}
	if len(data) > k.MaxSize {
		return refuse(1, 1, fmt.Sprintf("file troppo grande (%d byte, massimo %d): %s", len(data), k.MaxSize, k.TooBig))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return refuse(1, 1, "file vuoto: "+k.Empty)
	}
	if line, b, ok := BinaryByte(data); ok {
		return refuse(line, 1, fmt.Sprintf("non è un file di testo UTF-8 (byte 0x%02x alla riga %d): %s", b, line, k.Binary))
	}
	doc, extra, serr := Decode(data)
	switch {
	case serr != nil:
		return refuse(serr.Line, 1, serr.Msg)
	case extra != nil:
		return refuse(extra.Line, extra.Column, "il file contiene più di un documento YAML (---): "+k.Several)
	case doc.Kind == 0:
		return refuse(1, 1, "file vuoto (solo commenti): "+k.Empty)
	case doc.Kind != yaml.DocumentNode || len(doc.Content) != 1:
		return refuse(doc.Line, doc.Column, "documento YAML vuoto")
	}
	if first, msg := Special(doc.Content[0], k.Where); first != nil {
		return refuse(first.Line, first.Column, msg)
	}
	return doc.Content[0], nil
}

// SyntaxError is a document yaml.v3 cannot read: its line and an Italian
// message ("sintassi YAML non valida: …").
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("riga %d: %s", e.Line, e.Msg) }

// Decode reads the first YAML document of data into a node tree. extra is
// the second document when there is one (the callers refuse it). A syntax
// error, or a panic of the parser, is a SyntaxError.
func Decode(data []byte) (doc, extra *yaml.Node, serr *SyntaxError) {
	defer func() {
		// yaml.v3 has panicked on hostile input before (CVE-2022-28948);
		// a file of ours must never crash the program.
		if r := recover(); r != nil {
			doc, extra = nil, nil
			serr = &SyntaxError{Line: 1, Msg: fmt.Sprintf("YAML non leggibile: il parser si è interrotto (%v)", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var d yaml.Node
	if err := dec.Decode(&d); err != nil {
		if errors.Is(err, io.EOF) {
			return &d, nil, nil // no document at all: the caller says it is empty
		}
		return nil, nil, syntaxError(err)
	}
	var x yaml.Node
	if err := dec.Decode(&x); err == nil {
		return &d, &x, nil
	} else if !errors.Is(err, io.EOF) {
		return nil, nil, syntaxError(err)
	}
	return &d, nil, nil
}

var lineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// messages translates the syntax errors authors meet most.
var messages = []struct{ en, it string }{
	{"did not find expected key", "chiave mancante o indentazione sbagliata"},
	{"mapping values are not allowed in this context", "«:» non ammesso qui: metti il testo tra virgolette o correggi l'indentazione"},
	{"found character that cannot start any token", "carattere non ammesso all'inizio di un valore (una tabulazione? usa gli spazi)"},
	{"could not find expected ':'", "manca «:» dopo una chiave"},
	{"did not find expected node content", "valore mancante"},
	{"did not find expected '-' indicator", "elemento di lista non allineato: controlla l'indentazione dei «-»"},
	{"found unexpected end of stream", "il file finisce prima del previsto (virgolette o parentesi non chiuse?)"},
	{"found unknown escape character", "sequenza di escape sconosciuta in una stringa tra virgolette doppie"},
	{"did not find expected ',' or ']'", "lista tra [ ] non chiusa correttamente"},
	{"did not find expected ',' or '}'", "mappa tra { } non chiusa correttamente"},
	{"found a tab character", "tabulazione nell'indentazione: usa gli spazi"},
	{"exceeded max depth", "annidamento troppo profondo"},
	{"found undefined alias", "alias YAML non definito"},
	{"block sequence entries are not allowed in this context", "«-» non ammesso qui: controlla l'indentazione"},
	{"invalid leading UTF-8 octet", "byte non UTF-8"},
}

// syntaxError words a yaml.v3 error in Italian, keeping yaml.v3's own
// text in brackets for the rare case the translation does not fit.
func syntaxError(err error) *SyntaxError {
	msg := err.Error()
	line := 1
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	for _, t := range messages {
		if strings.Contains(msg, t.en) {
			msg = t.it + " (" + msg + ")"
			break
		}
	}
	return &SyntaxError{Line: line, Msg: "sintassi YAML non valida: " + msg}
}

// BinaryByte finds the first NUL, other C0 control (tab, CR and LF
// excepted) or invalid UTF-8 byte, and its line.
func BinaryByte(data []byte) (line int, b byte, found bool) {
	line = 1
	for i := 0; i < len(data); {
		c := data[i]
		if c == '\n' {
			line++
		}
		if c < utf8.RuneSelf {
			if c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				return line, c, true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, c, true
		}
		i += n
	}
	return 0, 0, false
}

// Special finds the first anchor, alias, merge key or explicit tag under
// root (in file order) and words its refusal; where says where they are
// not allowed ("nei percorsi"). It reports "" when there is none. It walks
// iteratively, so depth costs no stack.
func Special(root *yaml.Node, where string) (first *yaml.Node, msg string) {
	count := 0
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m := ""
		switch {
		case n.Kind == yaml.AliasNode:
			m = "alias YAML (*" + n.Value + ") non ammesso " + where + ": ripeti il testo"
		case n.Anchor != "":
			m = "ancora YAML (&" + n.Anchor + ") non ammessa " + where
		case n.Tag == "!!merge":
			m = "chiave di unione YAML (<<) non ammessa " + where
		case n.Style&yaml.TaggedStyle != 0:
			m = "tag YAML esplicito (" + n.Tag + ") non ammesso " + where
		}
		if m != "" {
			count++
			if first == nil || n.Line < first.Line || (n.Line == first.Line && n.Column < first.Column) {
				first, msg = n, m
			}
		}
		if n.Kind != yaml.AliasNode {
			stack = append(stack, n.Content...)
		}
	}
	if count > 1 {
		msg += fmt.Sprintf(" (e altri %d casi nel file)", count-1)
	}
	return first, msg
}

// KindName names a node's kind in Italian, for "deve essere … non …".
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "una mappa"
	case yaml.SequenceNode:
		return "una lista"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "un valore vuoto"
		}
		return "un testo"
	case yaml.AliasNode:
		return "un alias"
	}
	return "un documento"
}

// Suggest returns ` (forse «x»?)` for the candidate closest to s within
// edit distance 2, or "".
func Suggest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := EditDistance(s, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || best == s {
		return ""
	}
	return " (forse «" + best + "»?)"
}

// EditDistance is the Levenshtein distance of a and b, giving up early
// (returning max) past max.
func EditDistance(a, b string, max int) int {
	if d := len(a) - len(b); d >= max || -d >= max {
		return max
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
