package markup

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// marks is a style that shows where bold and links are, without escapes.
var marks = Style{
	Bold:   func(s string) string { return "<" + s + ">" },
	Link:   func(s string) string { return "{" + s + "}" },
	Bullet: "• ",
}

func TestLinesPlain(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"bold dropped", "Che cosa succede con la tua **PEC**?", []string{"Che cosa succede con la tua PEC?"}},
		{"paragraph lines joined", "Se lo spazio disco e l'archivio\n**acquistare spazio**\nper la casella.",
			[]string{"Se lo spazio disco e l'archivio acquistare spazio per la casella."}},
		{"list after paragraph", "Prepara:\n- l'indirizzo PEC;\n- il codice fiscale.",
			[]string{"Prepara:", "- l'indirizzo PEC;", "- il codice fiscale."}},
		{"blank lines kept once", "Uno.\n\n\nDue.\n", []string{"Uno.", "", "Due."}},
		{"indented line continues an item", "- primo\n  seguito\nPoi.", []string{"- primo seguito", "Poi."}},
		{"link shows its address", "Vai su [il sito](https://example.it/a) ora.",
			[]string{"Vai su il sito (https://example.it/a) ora."}},
		{"bare url without final dot", "Vedi https://example.it/x.", []string{"Vedi https://example.it/x."}},
		{"lone stars stay", "2 ** 3", []string{"2 ** 3"}},
		{"broken link stays", "[testo](senza chiusura", []string{"[testo](senza chiusura"}},
		{"empty", "", []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines(tt.in, 0, Plain)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Lines(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLinesStyled(t *testing.T) {
	got := Render("Usa **la PEC**, vedi https://example.it/pec. E [qui](https://x.it).", 0, marks)
	want := "Usa <la> <PEC>, vedi {https://example.it/pec}. E qui ({https://x.it})."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestWrap(t *testing.T) {
	got := Lines("Controlla il **nome utente**: di solito è l'indirizzo PEC completo.", 20, marks)
	want := []string{"Controlla il <nome>", "<utente>: di solito è", "l'indirizzo PEC", "completo."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	items := Lines("- uno due tre quattro cinque", 12, marks)
	if strings.Join(items, "|") != "• uno due|  tre|  quattro|  cinque" {
		t.Errorf("list item hangs badly: %q", items)
	}
}

func TestWrapNeverExceedsWidth(t *testing.T) {
	text := "Scarica l'app **Legalmail** da https://example.it/una/pagina/molto/lunga/davvero e\n- accedi con le credenziali della tua PEC"
	// From 3 cells on: narrower than a bullet and one letter, the caller cuts.
	for w := 3; w <= 40; w++ {
		for _, l := range Lines(text, w, marks) {
			// the marks add < > { }: measure without them
			plain := strings.NewReplacer("<", "", ">", "", "{", "", "}", "").Replace(l)
			if ansi.StringWidth(plain) > w {
				t.Fatalf("width %d: line %q is %d wide", w, plain, ansi.StringWidth(plain))
			}
		}
	}
}

func TestInline(t *testing.T) {
	if got := Inline("**Casella**\npiena  [qui](https://a.it)", Plain); got != "Casella piena qui (https://a.it)" {
		t.Errorf("Inline: %q", got)
	}
}

func FuzzLines(f *testing.F) {
	f.Add("**a** [b](https://c) https://d.\n- e\n\n- f", 10)
	f.Fuzz(func(t *testing.T, s string, w int) {
		w %= 200
		_ = Lines(s, w, marks)
		_ = Inline(s, Plain)
	})
}
