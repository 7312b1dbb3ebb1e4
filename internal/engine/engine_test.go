package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
)

func loadGood(t *testing.T) *flow.Set {
	t.Helper()
	set, err := flow.LoadPaths([]string{"../../testdata/flows/good"}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func at(t *testing.T, e *Engine, want string) {
	t.Helper()
	if got := e.CurrentRef().String(); got != want {
		t.Fatalf("at %s, want %s", got, want)
	}
}

func TestWalkAndBack(t *testing.T) {
	e := New(loadGood(t))
	if !e.AtHome() || e.Back() {
		t.Fatal("a new engine is at home and cannot go back")
	}
	if err := e.Start(Ref{"uno", "inizio"}); err != nil {
		t.Fatal(err)
	}
	at(t, e, "uno:inizio")
	must(t, e.Choose(0))
	at(t, e, "uno:passi")
	must(t, e.Choose(1)) // Non ha funzionato → inizio
	at(t, e, "uno:inizio")
	must(t, e.Choose(2)) // → due:inizio, another flow
	at(t, e, "due:inizio")
	must(t, e.Choose(1)) // Torna al primo → uno:inizio
	at(t, e, "uno:inizio")
	if len(e.Path()) != 5 {
		t.Fatalf("path has %d steps, want 5", len(e.Path()))
	}
	// Back across flows, one step at a time, answers forgotten.
	e.Back()
	at(t, e, "due:inizio")
	if e.Path()[len(e.Path())-1].Choice != "" {
		t.Error("the answer of the node we went back to is kept")
	}
	e.Back()
	at(t, e, "uno:inizio")
	e.Back()
	at(t, e, "uno:passi")
	e.Back()
	at(t, e, "uno:inizio")
	if !e.Back() || !e.AtHome() {
		t.Fatal("back from the first node goes home")
	}
}

func TestChooseErrors(t *testing.T) {
	e := New(loadGood(t))
	if err := e.Choose(0); err != ErrNotHere {
		t.Errorf("Choose at home = %v, want ErrNotHere", err)
	}
	must(t, e.Start(Ref{"uno", "inizio"}))
	if err := e.Choose(3); err == nil || !strings.Contains(err.Error(), "da 1 a 3") {
		t.Errorf("Choose(3) = %v", err)
	}
	if err := e.Outcome(check.Result{Status: check.Pass}); err != ErrNotHere {
		t.Errorf("Outcome on a question = %v, want ErrNotHere", err)
	}
	if err := e.Start(Ref{"uno", "manca"}); err == nil {
		t.Error("Start on a missing node succeeded")
	}
}

func TestCheckOutcomes(t *testing.T) {
	cases := []struct {
		status check.Status
		want   string
	}{
		{check.Pass, "uno:fine"},
		{check.Fail, "uno:passi"},
		{check.Warn, "due:fine"}, // other
		{check.Error, "due:fine"},
		{"bogus", "due:fine"}, // an unknown status is an error
	}
	for _, c := range cases {
		e := New(loadGood(t))
		must(t, e.Start(Ref{"uno", "inizio"}))
		must(t, e.Choose(1))
		at(t, e, "uno:controllo")
		if err := e.Choose(0); err != ErrNotHere {
			t.Errorf("Choose on a check node = %v", err)
		}
		must(t, e.Outcome(check.Result{Check: "token.present", Status: c.status, Title: "Dispositivo presente",
			Facts: map[string]string{"token.label": "Firma Test"}}))
		at(t, e, c.want)
		step := e.Path()[len(e.Path())-2]
		if step.Result == nil || step.Result.Title != "Dispositivo presente" {
			t.Errorf("%s: check result not kept on the path: %+v", c.status, step)
		}
	}
}

func TestFactsAndBackSkipsChecks(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "inizio"}))
	must(t, e.Choose(1))
	must(t, e.Outcome(check.Result{Check: "token.present", Status: check.Pass,
		Facts: map[string]string{"token.label": "Firma Test"}}))
	at(t, e, "uno:fine")
	if got := e.Expand(e.Current().Text); got != "Dispositivo Firma Test." {
		t.Errorf("Expand = %q", got)
	}
	e.Back() // skips the check node, which would only run again
	at(t, e, "uno:inizio")
}

func TestJumpAndRestart(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "inizio"}))
	must(t, e.Choose(0))
	must(t, e.Jump(Ref{"due", "fine"}))
	at(t, e, "due:fine")
	e.Back()
	at(t, e, "uno:passi")
	must(t, e.Restart())
	at(t, e, "uno:inizio")
	if len(e.Path()) != 1 {
		t.Errorf("restart keeps %d steps", len(e.Path()))
	}
}

func TestParseRef(t *testing.T) {
	set := loadGood(t)
	for in, want := range map[string]string{"uno": "uno:inizio", "due:fine": "due:fine"} {
		r, err := ParseRef(set, in)
		if err != nil || r.String() != want {
			t.Errorf("ParseRef(%q) = %v, %v", in, r, err)
		}
	}
	for _, in := range []string{"tre", "uno:manca", ""} {
		if _, err := ParseRef(set, in); err == nil {
			t.Errorf("ParseRef(%q) succeeded", in)
		}
	}
}

func TestMarkdown(t *testing.T) {
	e := New(loadGood(t))
	e.SetOS(flow.Windows) // uno:fine has a Linux variant only
	clock := time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC)
	e.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
	must(t, e.Start(Ref{"uno", "inizio"}))
	must(t, e.Choose(1))
	must(t, e.Outcome(check.Result{Check: "token.present", Status: check.Pass, Title: "Dispositivo presente",
		Detail: "Token RSSMRA80A01H501U seriale 12345678", Remedy: "Nessuna azione",
		Facts: map[string]string{"token.label": "Firma Test", "cert.cf": "RSSMRA80A01H501U", "token.serial": "12345678"}}))
	e.Home()
	md := e.Markdown(false)
	for _, want := range []string{
		"# Riepilogo sportello", "Data: 27/11/2026 10:30", "Istruzioni per: Windows",
		"## Percorso: Primo percorso",
		"1. **Domanda iniziale** — risposta: «Vai al controllo»",
		"2. **Controllo del dispositivo** — controllo `token.present`: OK — Dispositivo presente",
		"3. **Fatto**",
		"## Esito: Risolto", "Dispositivo Firma Test.",
		"## Controlli eseguiti", "- `token.present` — **OK**: Dispositivo presente",
		"Token RSSMRA80A01H501U seriale 12345678",
		"## Cronologia", "10:30:01 Primo percorso › Domanda iniziale", "torna all'inizio",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("transcript lacks %q:\n%s", want, md)
		}
	}
	red := e.Markdown(true)
	if strings.Contains(red, "RSSMRA80A01H501U") || strings.Contains(red, "12345678") {
		t.Errorf("redacted transcript shows personal data:\n%s", red)
	}
	if !strings.Contains(red, "*************01U") || !strings.Contains(red, "*****678") {
		t.Errorf("redacted transcript lacks the masks:\n%s", red)
	}
}

func TestSearch(t *testing.T) {
	ix := NewIndex(loadGood(t))
	hits := ix.Search("PASSO", 10)
	if len(hits) < 2 || hits[0].Ref.String() != "due:inizio" {
		t.Fatalf("Search(PASSO) = %+v", hits)
	}
	// Title matches rank above body matches; accents and case fold.
	hits = ix.Search("dispositivo", 10)
	if len(hits) != 2 || hits[0].Ref.String() != "uno:controllo" || hits[1].Ref.String() != "uno:fine" {
		t.Fatalf("Search(dispositivo) = %+v", hits)
	}
	if hits := ix.Search("funzionato percorso", 10); len(hits) != 1 || hits[0].Snippet != "Ha funzionato" {
		t.Fatalf("Search(funzionato percorso) = %+v", hits)
	}
	if hits := ix.Search("zanzara", 10); len(hits) != 0 {
		t.Fatalf("Search(zanzara) = %+v", hits)
	}
	if hits := ix.Search("   ", 10); hits != nil {
		t.Fatalf("empty search = %+v", hits)
	}
}

func TestFold(t *testing.T) {
	if got := fold("Perché È già"); got != "perche e gia" {
		t.Errorf("fold = %q", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
