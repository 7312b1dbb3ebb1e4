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
		{"wrong-type.yaml", []want{{7, 11, "tipo «questoin» non valido: usa question, steps, check, checklist o end (forse «question»?)"}}},
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
		// Returning visits, resume choices, OS variants, office facts.
		{"visit-goto.yaml", []want{{12, 9, "una scelta ha «goto» oppure «visit», non entrambi: «goto» va a un nodo, «visit» ci va e poi torna"}}},
		{"return-missing.yaml", []want{{12, 17, "ritorno «passo-du»: il nodo «passo-du» non esiste nel percorso «return-missing» (forse «passo-due»?)"}}},
		{"return-without-visit.yaml", []want{{12, 9, "«return» vale solo con «visit»: con «goto» il percorso non torna indietro (usa «visit» al posto di «goto»)"}}},
		{"resume-goto.yaml", []want{{12, 9, "una scelta con «resume: true» torna al percorso che ha aperto la visita: togli «goto»"}}},
		{"resume-orphan.yaml", []want{{19, 9, "ritorno senza chiamata: nessuna visita («visit») porta al nodo «consiglio», quindi la scelta «resume» non comparirebbe mai"}}},
		{"visit-never-returns.yaml", []want{{11, 16, "punto di ritorno mai raggiunto: dal nodo «visit-never-returns:giro» visitato non si arriva a nessun nodo end né a una scelta «resume», quindi la visita non torna mai a «fine»"}}},
		{"resume-only.yaml", []want{{16, 3, "il nodo «consiglio» si raggiunge anche fuori da una visita, dove le scelte «resume» non compaiono: non avrebbe scelte, aggiungine una con «goto»"}}},
		{"os-unknown.yaml", []want{{13, 7, "sistema operativo sconosciuto «mac» in «os» nel nodo «a»: usa windows, macos o linux (forse «macos»?)"}}},
		{"os-type-field.yaml", []want{{13, 9, "la variante «linux» ha «steps», ma il nodo «a» è di tipo question, che non ha passi: togli «steps» o cambia il tipo"}}},
		{"os-variant-field.yaml", []want{{12, 9, "campo sconosciuto «title» nella variante «macos» del nodo «a»: una variante ha solo «text» e «steps»"}}},
		{"contacts-false.yaml", []want{{10, 5, "un nodo escalate mostra sempre come contattare l'ufficio: togli «contacts: false»"}}},
		// Checklist nodes (the self-check on one screen).
		{"checklist-unknown.yaml", []want{{11, 32, "il nodo «c» elenca il controllo sconosciuto «token.presnt» (forse «token.present»?)"}}},
		{"checklist-groups.yaml", []want{
			{13, 9, "il gruppo «Vuoto» non ha controlli: togli il gruppo o aggiungine almeno uno"},
			{15, 18, "il controllo «token.module» è già nell'elenco (gruppo «Driver», riga 11): ogni controllo compare una volta sola"},
			{16, 9, "manca il campo obbligatorio «title» in un gruppo del nodo «c»"},
		}},
		{"checklist-leads.yaml", []want{
			{11, 18, "i problemi del controllo «token.pin» portano ai nodi «firma:pin-ultimo-tentativo», «firma:pin-bloccato», «firma:puk-bloccato», che non esistono: aggiungi i nodi, o indica in «problems»"},
			{11, 29, "i problemi del controllo «token.puk» portano al nodo «firma:puk-bloccato», che non esiste: aggiungi il nodo"},
		}},
		{"checklist-problems.yaml", []want{
			{13, 7, "«problems» indica «token.modul», che non è tra i controlli dei gruppi del nodo «c» (forse «token.module»?)"},
			{14, 23, "«pass» non è un problema: in «problems» di «token.module» valgono warn, fail, error e other"},
			{14, 41, "destinazione «fien»: il nodo «fien» non esiste nel percorso «checklist-problems» (forse «fine»?)"},
		}},
		{"checklist-next.yaml", []want{
			{6, 3, "manca il campo obbligatorio «groups» nel nodo «c»"},
			{6, 3, "manca il campo obbligatorio «next» nel nodo «c»"},
			{9, 5, "il campo «check» non è ammesso in un nodo di tipo checklist"},
		}},
		{"template-office.yaml", []want{{10, 11, "«text»: dato sconosciuto «{{ufficio.telfono}}» (i dati citabili sono elencati in flows/README.md) (forse «ufficio.telefono»?)"}}},
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
	visits, resumes, variants := 0, 0, 0
	for _, f := range set.Flows {
		for _, n := range f.Nodes {
			for _, c := range n.Choices {
				if c.Resume {
					resumes++
					continue
				}
				if c.Goto.Flow == "" || set.Node(c.Goto.Flow, c.Goto.Node) == nil {
					t.Errorf("%s:%s: choice %q target %v not resolved", f.ID, n.ID, c.Label, c.Goto)
				}
				if c.Visit {
					visits++
					if c.Return.Flow != f.ID || set.Node(c.Return.Flow, c.Return.Node) == nil {
						t.Errorf("%s:%s: visit %q return %v not resolved", f.ID, n.ID, c.Label, c.Return)
					}
				}
			}
			variants += len(n.OS)
			if n.Type == Check && len(n.Outcomes) != len(check.Statuses) {
				t.Errorf("%s:%s: outcomes %v do not cover every status", f.ID, n.ID, n.Outcomes)
			}
		}
	}
	if visits < 2 || resumes < 1 || variants < 3 {
		t.Errorf("the good set has %d visits, %d resume choices, %d OS variants: want at least 2, 1, 3", visits, resumes, variants)
	}
}

// TestChecklist: a checklist node's groups, problems (a target for every
// problem status, per status with other) and next.
func TestChecklist(t *testing.T) {
	set, err := LoadPaths([]string{"../../testdata/flows/checklist"}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	if n := set.Node("tre", "controlli"); n == nil || len(n.Groups) != 2 || strings.Join(n.ChecklistNames(), " ") != "token.module token.present token.pin" {
		t.Errorf("checklist tre:controlli = %+v", n)
	} else {
		for _, c := range []struct {
			check string
			st    check.Status
			want  string
		}{
			{"token.module", check.Error, "tre:aiuto"}, {"token.present", check.Fail, "tre:aiuto"},
			{"token.present", check.Warn, "tre:assistenza"}, {"token.pin", check.Error, "tre:fine"},
		} {
			if got, ok := n.ProblemTarget(c.check, c.st); !ok || got.String() != c.want {
				t.Errorf("problems of %s %s = %v, want %s", c.check, c.st, got, c.want)
			}
		}
		if _, ok := n.ProblemTarget("token.pin", check.Pass); ok || n.Next.String() != "tre:fine" {
			t.Errorf("a pass has a problem target, or next = %v", n.Next)
		}
	}
}

// kindOf names what a choice does, as the YAML says it.
func kindOf(c Choice) string {
	switch {
	case c.Resume:
		return "resume"
	case c.Visit:
		return "visit"
	}
	return "goto"
}

// TestVisitsAndVariants: a visit's return defaults to the node holding
// it; an explicit return is a node of the same flow; a node's OS variants
// replace only what they give.
func TestVisitsAndVariants(t *testing.T) {
	set, err := LoadPaths([]string{"../../testdata/flows/good"}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	n := set.Node("uno", "passi")
	var got []string
	for _, c := range n.Choices {
		got = append(got, kindOf(c)+" "+c.Goto.String()+" "+c.Return.String())
	}
	want := []string{"goto uno:fine :", "goto uno:inizio :", "visit due:consiglio uno:passi", "visit due:consiglio uno:fine"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("choices of uno:passi:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	c := set.Node("due", "consiglio").Choices[1]
	if !c.Resume || c.Goto != (Target{}) || c.Label != "Torna indietro" {
		t.Errorf("resume choice = %+v", c)
	}
	if got := n.StepsFor(Windows); len(got) != 1 || got[0] != "Apri il menu **Start**." {
		t.Errorf("steps on windows = %q", got)
	}
	if got := n.StepsFor(Linux); len(got) != 2 || got[0] != "Primo passo." {
		t.Errorf("steps on linux (no variant) = %q", got)
	}
	if got := n.TextFor(Windows); got != "" {
		t.Errorf("text on windows = %q, want the common (empty) text", got)
	}
	if got := n.TextFor(MacOS); got != "Su macOS usa il **Finder**." {
		t.Errorf("text on macos = %q", got)
	}
	if got := n.StepsFor(MacOS); len(got) != 2 {
		t.Errorf("steps on macos (text-only variant) = %q, want the common steps", got)
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
		"comments":  "# solo\n# commenti\n",
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
