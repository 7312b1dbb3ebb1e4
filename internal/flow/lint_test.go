package flow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
)

const brokenDir = "../../testdata/flows/broken"

// want is one expected problem: where, and a part of the message.
type want struct {
	line, col int
	msg       string
}

// TestLintFixtures loads each broken fixture on its own and asserts the
// exact list of problems: position and message. One fixture per rule.
func TestLintFixtures(t *testing.T) {
	cases := []struct {
		path string
		want []want
	}{
		{"syntax.yaml", []want{{9, 1, "sintassi YAML non valida: «:» non ammesso qui"}}},
		{"unknown-field.yaml", []want{{10, 5, "campo sconosciuto «txet» nel nodo «a» (forse «text»?)"}}},
		{"missing-field.yaml", []want{
			{1, 1, "manca il campo obbligatorio «title» nel percorso"},
			{5, 3, "manca il campo obbligatorio «title» nel nodo «a»"},
		}},
		{"wrong-type.yaml", []want{{7, 11, "tipo «questoin» non valido: usa question, steps, check o end (forse «question»?)"}}},
		{"dup-flow", []want{{1, 5, "id di percorso «doppio» già usato in " + filepath.Join(brokenDir, "dup-flow", "a.yaml") + ":1:5"}}},
		{"duplicate-node.yaml", []want{{10, 3, "nodo «a» definito due volte (la prima alla riga 6)"}}},
		{"missing-start.yaml", []want{{1, 1, "manca il campo obbligatorio «start» nel percorso"}}},
		{"unknown-start.yaml", []want{{4, 8, "start «inizo» non è un nodo di questo percorso (forse «inizio»?)"}}},
		{"goto-node.yaml", []want{{13, 15, "destinazione «fien»: il nodo «fien» non esiste nel percorso «goto-node» (forse «fine»?)"}}},
		{"goto-flow.yaml", []want{{13, 15, "destinazione «spdi:otp»: il percorso «spdi» non esiste"}}},
		{"unreachable.yaml", []want{{10, 3, "il nodo «orfano» non è raggiungibile dall'inizio di nessun percorso"}}},
		{"trap.yaml", []want{{14, 3, "dal nodo «giro» non si arriva a nessun nodo end"}}},
		{"end-choices.yaml", []want{{10, 5, "un nodo end non ha scelte"}}},
		{"one-choice.yaml", []want{{9, 5, "una domanda (question) deve avere almeno due scelte, ne ha 1"}}},
		{"check-unknown.yaml", []want{{6, 3, "il nodo «c» usa il controllo sconosciuto «token.presnt» (forse «token.present»?)"}}},
		{"check-outcome.yaml", []want{
			{10, 5, "«outcomes» non dice dove andare per «skip»"},
			{13, 13, "destinazione «altrove»: il nodo «altrove» non esiste"},
		}},
		{"source-shape.yaml", []want{{10, 22, "fonte «pec 16» non valida"}}},
		{"empty.yaml", []want{{1, 1, "file vuoto"}}},
		{"binary.yaml", []want{{2, 1, "non è un file di testo UTF-8 (byte 0x00 alla riga 2)"}}},
		{"alias-bomb.yaml", []want{{1, 4, "ancora YAML (&a) non ammessa nei percorsi (e altri 80 casi nel file)"}}},
		{"multi-doc.yaml", []want{{10, 1, "più di un documento YAML"}}},
		{"control-chars.yaml", []want{{9, 12, `«title» contiene caratteri di controllo o sequenze di escape: Fine \x1b[31mrossa\x1b[0m`}}},
		{"template.yaml", []want{{10, 11, "dato sconosciuto «{{cert.giorni}}»"}}},
		{"not-mapping.yaml", []want{{1, 1, "un percorso deve essere una mappa (chiave: valore), non una lista"}}},
		{"steps-empty.yaml", []want{
			{6, 3, "un nodo steps deve avere almeno un passo"},
			{6, 3, "un nodo steps deve avere almeno una scelta"},
		}},
		{"colon-text.yaml", []want{{10, 9, "non una mappa: se il testo contiene «: » mettilo tra virgolette"}}},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.path] = true
		t.Run(c.path, func(t *testing.T) {
			path := filepath.Join(brokenDir, c.path)
			files, err := ReadPaths([]string{path})
			if err != nil {
				t.Fatal(err)
			}
			_, ps := Load(files, check.Known)
			if len(ps) != len(c.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(ps), len(c.want), ps.Error())
			}
			for i, w := range c.want {
				p := ps[i]
				if p.Line != w.line || p.Col != w.col || !strings.Contains(p.Msg, w.msg) {
					t.Errorf("problem %d = %s\nwant      line %d col %d containing %q", i, p, w.line, w.col, w.msg)
				}
				if !strings.HasPrefix(p.String(), p.File+":") || !strings.HasSuffix(p.File, ".yaml") {
					t.Errorf("problem %d does not name its file: %s", i, p)
				}
			}
		})
	}
	// Every fixture in the directory has a case: a new fixture without an
	// expectation would otherwise test nothing.
	entries, err := os.ReadDir(brokenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !seen[e.Name()] {
			t.Errorf("fixture %s has no expected problems in TestLintFixtures", e.Name())
		}
	}
}

// TestLintGood: a correct set with cross-flow gotos, every node type and
// facts loads without problems and resolves its targets.
func TestLintGood(t *testing.T) {
	files, err := ReadPaths([]string{"../../testdata/flows/good"})
	if err != nil {
		t.Fatal(err)
	}
	set, ps := Load(files, check.Known)
	if len(ps) > 0 {
		t.Fatalf("unexpected problems:\n%s", ps.Error())
	}
	if len(set.Flows) < 2 {
		t.Fatalf("want at least 2 flows, got %d", len(set.Flows))
	}
	for _, f := range set.Flows {
		for _, n := range f.Nodes {
			for _, c := range n.Choices {
				if c.Goto.Flow == "" || set.Node(c.Goto.Flow, c.Goto.Node) == nil {
					t.Errorf("%s:%s: choice %q target %v not resolved", f.ID, n.ID, c.Label, c.Goto)
				}
			}
			if n.Type == Check && len(n.Outcomes) != len(check.Statuses) {
				t.Errorf("%s:%s: outcomes %v do not cover every status", f.ID, n.ID, n.Outcomes)
			}
		}
	}
}

// TestHostileInputs: garbage never panics and is refused fast.
func TestHostileInputs(t *testing.T) {
	huge := strings.Repeat("a", MaxFileSize+1)
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	nested := strings.Repeat("- ", 5000) + "x"
	cases := map[string]string{
		"huge":      huge,
		"deep-flow": deep,
		"deep-list": nested,
		"tabs":      "id: x\n\ttitle: y\n",
		"bom-utf16": "\xff\xfei\x00d\x00",
		"only-doc":  "---\n",
		"scalar":    "ciao",
		"null":      "~",
		"long-key":  strings.Repeat("k", 100000) + ": v\n",
		"many-keys": strings.Repeat("x: 1\n", 10000),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			f, ps := Parse(name+".yaml", []byte(data))
			if len(ps) == 0 {
				t.Fatalf("no problem reported for %s (flow %+v)", name, f)
			}
			for _, p := range ps {
				if p.File != name+".yaml" || p.Line < 1 {
					t.Errorf("problem without file and line: %s", p)
				}
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	facts := map[string]string{"cert.holder": "MARIO ROSSI", "cert.days_left": "12"}
	cases := map[string]string{
		"Il certificato di {{cert.holder}} scade tra {{ cert.days_left }} giorni": "Il certificato di MARIO ROSSI scade tra 12 giorni",
		"Nessun dato":            "Nessun dato",
		"{{token.label}} manca":  Missing + " manca",
		"aperta {{ senza chiusa": "aperta {{ senza chiusa",
	}
	for in, want := range cases {
		if got := Expand(in, facts); got != want {
			t.Errorf("Expand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	if got := suggest("txet", nodeFields); got != " (forse «text»?)" {
		t.Errorf("suggest(txet) = %q", got)
	}
	if got := suggest("zzzzzz", nodeFields); got != "" {
		t.Errorf("suggest(zzzzzz) = %q", got)
	}
}
