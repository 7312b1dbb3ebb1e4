package yamlfast

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// accepted inputs: Parse must take them and agree with yaml.v3.
var accepted = []struct{ name, src string }{
	{"double-quoted escapes", `a: "x\ny\"z\\w\u00e8\e[0m\x41\U0001F600\0\a\b\t\v\f\r\ \_\N\L\P\'"` + "\n"},
	{"single-quoted", "a: 'it''s: a #tag'\nb: ''''\n"},
	{"colon and hash in quotes", "a: \"b: c # d\"\nb: 'x: #y'  # real comment\n"},
	{"hash in plain", "a: b#c # comment\nb: c #d\nc: x#\n"},
	{"trailing spaces", "a: b   \nc:   \nd: 'e'  \n  \n"},
	{"empty values", "a:\nb: \"\"\nc: ''\nd:   # comment\ne:\n"},
	{"null at end", "a:\n  b:\n"},
	{"literal with blank lines", "a: |\n  x\n\n  y\n\n\nb: 1\n"},
	{"literal keep", "a: |+\n  x\n\n\nb: |+\n  y\n"},
	{"literal keep at end", "a: |+\n  x\n\n\n"},
	{"literal strip", "a: |-\n  x\n  y\n\nb: |-\n  z\n"},
	{"literal clip without final newline", "a: |\n  x"},
	{"literal leading empty lines", "a: |\n\n  \n  x\n"},
	{"literal more indented lines", "a: |\n  x\n    y\n      \n  z\n"},
	{"literal comment-like text", "a: |\n  # not a comment\n  - nor an item\n  b: nor a key\nb: 1\n"},
	{"literal in sequence", "a:\n  - |\n    x\n  - |-\n   y\nb: 1\n"},
	{"literal then comment", "a: |  # header comment\n  x\n# comment\nb: 1\n"},
	{"literal whitespace tail", "a: |\n  x\n   \n \nb: 1\n"},
	{"indentless sequence", "a:\n- x\n- y\nb: 1\n"},
	{"indentless sequence of mappings", "a:\n- label: x\n  goto: y\n  steps:\n  - s\n  - t\n  more: 1\n- label: z\nb: 1\n"},
	{"indented sequence", "a:\n    - x\n    -   y: 1\n        z: 2\nb: [c]\n"},
	{"root sequence", "- a\n- b: c\n  d: e\n-\n- [x]\n- \"q\"\n"},
	{"empty items", "a:\n  -\n  - \n  -   # c\n  - x\n"},
	{"unicode", "perché: è così\nvalori: [à, 'é', \"ì\", ò ù]\nè: [x]\nàà: |\n  ò\n"},
	{"four-byte runes", "a: 😀 x\nb: [😀, y]\n😀: '😀'\n"},
	{"byte order mark", "\ufeffa: 1\nb: 2\n"},
	{"CRLF", "a: b\r\nc:\r\n  - d\r\n  - 'e'\r\nf: |\r\n  x\r\n\r\n  y\r\ng: |-\r\n  z\r\n"},
	{"resolution", "a: 0x1F\nb: 0o17\nc: +12\nd: -1_000\ne: 1e3\nf: .inf\ng: -.Inf\nh: .nan\ni: true\nj: False\nk: ~\nl: null\nm: 2001-12-14\nn: yes\no: 0b101\np: 1.5\nq: 08\nr: -x\ns: 1_0\nt: 0.\nu: +.5\nv: NULL\nw: TRUE\nx: tRUE\ny: 12:30\nz: 2001-12-14t21:59:43.10-05:00\n"},
	{"keys resolved", "1: a\ntrue: b\n~: c\n2.5: d\n"},
	{"leading document marker", "---\na: 1\n"},
	{"document marker with comment", "# c\n\n---   # c\na: 1\n"},
	{"comments everywhere", "# head\na: 1 # line\n# between\n    # indented comment\nb:\n  # inside\n  c: 2\n  # after\n# foot\n"},
	{"space before colon", "a  : 1\nb : [x]\n"},
	{"empty flow sequences", "a: []\nb: [ ]\nc: [  ]  # c\n"},
	{"flow sequences", "a: [PEC-15, pec 16, GS-5.7.1]\nb: [ 'x' , \"y\",z ]\nc: [-1, 2, true, ~]\n"},
	{"deep nesting", "a:\n b:\n  c:\n   d:\n    - e:\n       f: [g]\n"},
	{"indented root", "  a: 1\n  b:\n    c: 2\n"},
	{"plain with specials", "a: b-c d:e f,g [h] {i} !j &k *l |m >n 'o' \"p\" %q @r `s\nb: -c\nc: x -y\n"},
	{"colon-prefixed text", "a: b :c\nurl: http://example.com/a?b=c#d\n"},
	{"compact mappings", "- a: 1\n  b: 2\n-   c: 3\n    d:\n      e: 4\n- f:\n  - g\n"},
	{"long values", "a: " + strings.Repeat("x ", 1500) + "y\nb: [" + strings.Repeat("z, ", 600) + "w]\n"},
	{"no final newline", "a: b"},
	{"dots and dashes", "a: ...\nb: ---\nc: -- -\n"},
}

// refused inputs: outside the subset, so Parse must leave them to yaml.v3.
var refused = []struct{ name, src string }{
	{"tab", "a:\tb\n"},
	{"tab in indentation", "a:\n\tb: 1\n"},
	{"anchor", "a: &x 1\nb: 2\n"},
	{"alias", "a: 1\nb: *x\n"},
	{"tag", "a: !!str 1\n"},
	{"folded", "a: >\n  x\n"},
	{"flow mapping", "a: {b: c}\n"},
	{"flow mapping in sequence", "a: [{b: c}]\n"},
	{"nested flow sequence", "a: [[b]]\n"},
	{"multi-line plain", "a: b\n  c\n"},
	{"multi-line plain in sequence", "- b\n  c\n"},
	{"multi-line plain after blank", "a: b\n\n  c\n"},
	{"multi-line double quoted", "a: \"b\n  c\"\n"},
	{"multi-line single quoted", "a: 'b\n  c'\n"},
	{"escaped line break", "a: \"b\\\n  c\"\n"},
	{"multi-line flow", "a: [b,\n  c]\n"},
	{"second document", "a: 1\n---\nb: 2\n"},
	{"two markers", "---\n---\na: 1\n"},
	{"content after marker", "--- a\n"},
	{"document end", "a: 1\n...\n"},
	{"directive", "%YAML 1.2\n---\na: 1\n"},
	{"complex key", "? a\n: b\n"},
	{"odd indentation", "a:\n  b: 1\n c: 2\n"},
	{"deeper line", "a: 1\n  b: 2\n"},
	{"merge key", "a:\n  <<: x\n"},
	{"quoted key", "\"a\": 1\n"},
	{"quoted key in sequence", "- 'a': 1\n"},
	{"unknown escape", "a: \"\\/\"\n"},
	{"bad hex escape", "a: \"\\x4g\"\n"},
	{"surrogate escape", "a: \"\\ud800\"\n"},
	{"indentation indicator", "a: |2\n  x\n"},
	{"empty literal", "a: |\nb: 1\n"},
	{"literal at end", "a: |\n"},
	{"literal under-indented", "- a: |\n  x\n"},
	{"literal wide leading line", "a: |\n     \n  x\n"},
	{"text after literal header", "a: | x\n"},
	{"lone CR", "a: 1\rb: 2\n"},
	{"NEL", "a: b\u0085c\n"},
	{"line separator", "a: b\u2028c\n"},
	{"inner BOM", "a: b\ufeff\n"},
	{"control character", "a: b\x01\n"},
	{"DEL", "a: b\x7f\n"},
	{"invalid UTF-8", "a: \xff\n"},
	{"mapping value in value", "a: b: c\n"},
	{"colon at end of value", "a: b:\n"},
	{"dash value", "a: - b\n"},
	{"nested dash", "- - a\n"},
	{"root scalar", "hello\n"},
	{"root flow", "[a, b]\n"},
	{"empty", ""},
	{"blank", "\n  \n"},
	{"only comments", "# x\n  # y\n"},
	{"trailing comma", "a: [b, c,]\n"},
	{"empty flow item", "a: [b, , c]\n"},
	{"colon in flow", "a: [b: c]\n"},
	{"text after flow", "a: [b] c\n"},
	{"text after quotes", "a: 'b' c\n"},
	{"hash after quotes", "a: 'b'#c\n"},
	{"long key", strings.Repeat("k", 1001) + ": v\n"},
	{"key without colon", "a: 1\nb\n"},
	{"sequence in mapping", "a: 1\n- b\n"},
	{"mapping in sequence", "- a\nb: 1\n"},
	{"item under dash", "-\n  a: 1\n"},
	{"value on next line", "a:\n  b\n"},
	{"dedent below root", "  a: 1\nb: 2\n"},
	{"question mark plain", "a: ?b\n"},
	{"question mark key", "?a: 1\n"},
	{"tilde key alone", "a:\n  - ? b\n"},
}

func TestAccepted(t *testing.T) {
	for _, c := range accepted {
		if !same(t, c.name, []byte(c.src)) {
			t.Errorf("%s: Parse fell back to yaml.v3 on %q", c.name, c.src)
		}
	}
}

func TestRefused(t *testing.T) {
	for _, c := range refused {
		if doc, ok := Parse([]byte(c.src)); ok || doc != nil {
			t.Errorf("%s: Parse accepted %q", c.name, c.src)
		}
	}
}

// TestValues pins a few values and positions independently of yaml.v3, so
// that the differential tests cannot both be wrong the same way.
func TestValues(t *testing.T) {
	tests := []struct {
		src, value, tag string
		line, col       int
	}{
		{`a: "\e[0m\n\"\\\u00e8"`, "\x1b[0m\n\"\\è", "!!str", 1, 4},
		{"a: 'it''s'", "it's", "!!str", 1, 4},
		{"a: b # c", "b", "!!str", 1, 4},
		{"a: b#c", "b#c", "!!str", 1, 4},
		{"a:", "", "!!null", 1, 3},
		{"a:   # c\n", "", "!!null", 1, 3},
		{"perché: è", "è", "!!str", 1, 9},
		{"a: |\n  x\n\n  y\n\n", "x\n\ny\n", "!!str", 1, 4},
		{"a: |-\n  x\n\n", "x", "!!str", 1, 4},
		{"a: |+\n  x\n\n", "x\n\n", "!!str", 1, 4},
		{"\ufeffa: 0x1F", "0x1F", "!!int", 1, 4},
		{"a: 1e3", "1e3", "!!float", 1, 4},
		{"a: 2001-12-14", "2001-12-14", "!!timestamp", 1, 4},
		{"a: yes", "yes", "!!str", 1, 4},
		{"a: b\r\nc: d\r\n", "b", "!!str", 1, 4},
		{"---\n\na:\n  b", "", "", 0, 0}, // refused: value on next line
	}
	for _, tt := range tests {
		doc, ok := Parse([]byte(tt.src))
		if tt.tag == "" {
			if ok {
				t.Errorf("%q: accepted", tt.src)
			}
			continue
		}
		if !ok {
			t.Errorf("%q: fell back", tt.src)
			continue
		}
		v := doc.Content[0].Content[1]
		if v.Value != tt.value || v.Tag != tt.tag || v.Line != tt.line || v.Column != tt.col {
			t.Errorf("%q: got %q %s at %d:%d, want %q %s at %d:%d", tt.src, v.Value, v.Tag, v.Line, v.Column, tt.value, tt.tag, tt.line, tt.col)
		}
	}
	doc := parseOK(t, "# c\n---\na: [x, 'è', y]\n")
	if doc.Line != 2 || doc.Column != 1 {
		t.Errorf("document at %d:%d, want 2:1", doc.Line, doc.Column)
	}
	if it := doc.Content[0].Content[1].Content[2]; it.Value != "y" || it.Column != 13 {
		t.Errorf("flow item %q at column %d, want y at 13", it.Value, it.Column)
	}
}

func parseOK(t *testing.T, src string) *yaml.Node {
	t.Helper()
	doc, ok := Parse([]byte(src))
	if !ok {
		t.Fatalf("Parse(%q) fell back", src)
	}
	return doc
}
