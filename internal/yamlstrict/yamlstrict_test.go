package yamlstrict

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestSuggest(t *testing.T) {
	fields := []string{"type", "title", "text", "steps"}
	if got := Suggest("txet", fields); got != " (forse «text»?)" {
		t.Errorf("Suggest(txet) = %q", got)
	}
	if got := Suggest("zzzzzz", fields); got != "" {
		t.Errorf("Suggest(zzzzzz) = %q", got)
	}
	if got := Suggest("text", fields); got != "" {
		t.Errorf("Suggest of an exact name = %q", got)
	}
}

func TestDecode(t *testing.T) {
	doc, extra, serr := Decode([]byte("a: 1\n"))
	if serr != nil || extra != nil || len(doc.Content) != 1 {
		t.Fatalf("one document: %+v %+v %v", doc, extra, serr)
	}
	if _, extra, _ := Decode([]byte("a: 1\n---\nb: 2\n")); extra == nil || extra.Line != 2 {
		t.Errorf("second document: %+v", extra)
	}
	if doc, _, serr := Decode([]byte("# solo commenti\n")); serr != nil || doc.Kind != 0 {
		t.Errorf("comments only: %+v %v", doc, serr)
	}
	_, _, serr = Decode([]byte("a:\n  b: \"x\n"))
	if serr == nil || serr.Line != 2 || !strings.HasPrefix(serr.Msg, "sintassi YAML non valida: il file finisce prima del previsto") {
		t.Errorf("syntax error: %+v", serr)
	}
}

func TestSpecial(t *testing.T) {
	doc, _, _ := Decode([]byte("a: 1\nb: &x 2\nc: *x\nd: !!str 3\n"))
	first, msg := Special(doc.Content[0], "qui")
	if first == nil || first.Line != 2 || msg != "ancora YAML (&x) non ammessa qui (e altri 2 casi nel file)" {
		t.Errorf("Special = %v %q", first, msg)
	}
	doc, _, _ = Decode([]byte("a: [1, {b: c}]\n"))
	if first, msg := Special(doc.Content[0], "qui"); first != nil {
		t.Errorf("plain YAML refused: %q", msg)
	}
}

func TestBinaryByte(t *testing.T) {
	if line, b, ok := BinaryByte([]byte("a\nb\x00")); !ok || line != 2 || b != 0 {
		t.Errorf("NUL: %d %x %v", line, b, ok)
	}
	if line, _, ok := BinaryByte([]byte("a\n\xff")); !ok || line != 2 {
		t.Errorf("bad UTF-8: %d %v", line, ok)
	}
	if _, _, ok := BinaryByte([]byte("perché\ttab\r\n")); ok {
		t.Error("text refused")
	}
}

func TestRoot(t *testing.T) {
	k := Kind{MaxSize: 64, TooBig: "T", Empty: "E", Binary: "B", Several: "S", Where: "qui"}
	if root, bad := k.Root([]byte("a: 1\n")); bad != nil || root == nil || root.Kind != yaml.MappingNode {
		t.Fatalf("plain document: %v %+v", root, bad)
	}
	for in, want := range map[string]Refusal{
		strings.Repeat("#", 65): {1, 1, "file troppo grande (65 byte, massimo 64): T"},
		" \n":                   {1, 1, "file vuoto: E"},
		"# c\n":                 {1, 1, "file vuoto (solo commenti): E"},
		"a: 1\nb\x01\n":         {2, 1, "non è un file di testo UTF-8 (byte 0x01 alla riga 2): B"},
		"a: 1\n---\nb: 2\n":     {2, 1, "il file contiene più di un documento YAML (---): S"},
		"a: 1\nb: &x 2\n":       {2, 4, "ancora YAML (&x) non ammessa qui"},
	} {
		if root, bad := k.Root([]byte(in)); root != nil || bad == nil || *bad != want {
			t.Errorf("Root(%q) = %v, %+v; want %+v", in, root, bad, want)
		}
	}
}
