package plain

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/check/checktest"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

func newEngine(t *testing.T) *engine.Engine {
	t.Helper()
	set, err := flow.LoadPaths([]string{"../../testdata/walk"}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(set)
	e.SetOS(flow.Linux) // the fixtures have no Linux variant: the common text
	return e
}

// funcRunner is the test double for check.Runner: a function (see
// checktest.Func).
type funcRunner = checktest.Func

// walk runs the dialogue on input and returns stdout, stderr and the engine.
func walk(t *testing.T, input io.Reader, opts Options) (string, string, *engine.Engine) {
	t.Helper()
	if opts.Engine == nil {
		opts.Engine = newEngine(t)
	}
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), input, &out, &errOut, opts) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the dialogue did not end")
	}
	if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 || bytes.IndexByte(errOut.Bytes(), 0x1b) >= 0 {
		t.Errorf("escape byte in the output: %q", out.String())
	}
	return out.String(), errOut.String(), opts.Engine
}

// inOrder fails unless every want is in out, in this order.
func inOrder(t *testing.T, out string, want ...string) {
	t.Helper()
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("missing (or out of order) %q in:\n%s", w, out)
		}
		rest = rest[i+len(w):]
	}
}

// where is the engine's position: "home", or the current node.
func where(e *engine.Engine) string {
	if e.AtHome() {
		return "home"
	}
	return e.CurrentRef().String()
}

func TestWalks(t *testing.T) {
	tests := []struct {
		name  string
		input string
		where string   // engine position at the end ("home")
		want  []string // in the output, in this order
	}{
		{"no input shows the topics and how to run", "", "home", []string{
			"Argomenti:", "1. Firma digitale (prova) — Dispositivo non riconosciuto, driver", "2. PEC (prova)",
			"Scegli un argomento (1-2, ? aiuto, q esci): ", "Nessuna risposta ricevuta", "sportello run firma --plain"}},
		{"to an end node", "1\n2\n2\n", "firma:assistenza", []string{
			"Problema con la firma", "Che cosa succede con il tuo dispositivo di firma?", "  2. Voglio installare il driver",
			"Risposta (1-3, b indietro", "Installare il driver",
			"Il driver si scarica dalla pagina dei driver (https://example.it/driver) del fornitore.",
			"Passo 1: Scarica il driver per il tuo sistema operativo.", "Poi scegli:",
			"Esito: Da inoltrare all'assistenza", "Serve l'assistenza", "- il modello del dispositivo;",
			"Salva il riepilogo e allegalo", "1. Salva il riepilogo", "Fine delle risposte"}},
		{"back across flows", "1\n3\nb\n", "firma:sintomo", []string{"Problema con la PEC", "Problema con la firma"}},
		{"b at home", "b\n", "home", []string{"Sei già all'elenco degli argomenti."}},
		{"h goes home and shows the topics", "2\nh\n", "home", []string{"Problema con la PEC", "Argomenti:"}},
		{"q quits at once", "2\nq\n1\n", "pec:inizio", []string{"Problema con la PEC"}},
		{"invalid answers are explained", "7\nciao\n\n2\n", "pec:inizio", []string{
			"Risposta non valida: scrivi un numero tra quelli elencati (1-2)", "Problema con la PEC"}},
		{"help", "?\n", "home", []string{"un numero  sceglie la risposta"}},
		{"end: restart", "2\n2\n2\n", "pec:inizio", []string{"Casella piena", "Problema con la PEC"}},
		{"end: topics", "2\n2\n3\n", "home", []string{"Casella piena", "Argomenti:"}},
		{"answers are echoed when piped", "2\n", "pec:inizio", []string{"q esci): 2\n"}},
		{"answers with spaces", "  2 \n", "pec:inizio", []string{"Problema con la PEC"}},
		// Returning visits: pec:accesso (2, 1) visits firma:driver (3).
		{"a visit shows where it comes back", "2\n1\n3\n", "firma:driver", []string{
			"Accesso alla PEC", "  3. Mi serve il driver del dispositivo di firma",
			"\n↪ Alla fine di questa parte torni a «Accesso alla PEC».\nInstallare il driver\n",
			"Istruzioni generali: non ce ne sono di specifiche per Linux.",
			"Passo 1: Scarica il driver per il tuo sistema operativo.",
			"  3. Torna indietro senza installare", "Risposta (1-3, b indietro"}},
		{"an end inside a visit offers the way back first", "2\n1\n3\n1\n1\n", "pec:accesso", []string{
			"Esito: Risolto", "Problema risolto", "Cosa vuoi fare ora?", "  1. Torna a: «Accesso alla PEC»",
			"  2. Salva il riepilogo", "  4. Torna agli argomenti", "Risposta (1-4,",
			"\nAccesso alla PEC\n", "  3. Mi serve il driver"}},
		{"resume comes back at once", "2\n1\n3\n3\n", "pec:accesso", []string{
			"Torna indietro senza installare", "\nAccesso alla PEC\n"}},
		{"back goes into the visit and out of it", "2\n1\n3\n3\nb\nb\n", "pec:accesso", []string{
			"\nAccesso alla PEC\n", "↪ Alla fine di questa parte torni a «Accesso alla PEC».\nInstallare il driver",
			"\nAccesso alla PEC\n"}},
		{"outside a visit no resume choice", "1\n2\n3\n", "firma:driver", []string{
			"Installare il driver", "Risposta (1-2, b indietro", "Risposta non valida: scrivi un numero tra quelli elencati (1-2)"}},
		{"outside a visit an end offers no way back", "1\n2\n1\n", "firma:risolto", []string{
			"Problema risolto", "  1. Salva il riepilogo", "  3. Torna agli argomenti", "Risposta (1-3,"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, e := walk(t, strings.NewReader(tt.input), Options{Echo: true})
			if got := where(e); got != tt.where {
				t.Errorf("at %s, want %s", got, tt.where)
			}
			inOrder(t, out, tt.want...)
		})
	}
}

func TestRunStartsAtNode(t *testing.T) {
	e := newEngine(t)
	if err := e.Start(engine.Ref{Flow: "pec", Node: "inizio"}); err != nil {
		t.Fatal(err)
	}
	out, _, e := walk(t, strings.NewReader("2\n"), Options{Engine: e})
	if e.CurrentRef().String() != "pec:piena" || strings.Contains(out, "Argomenti:") {
		t.Errorf("at %s, output:\n%s", e.CurrentRef(), out)
	}
	if strings.Contains(out, "q esci): 2") {
		t.Error("answers echoed without Echo")
	}
}

func TestSave(t *testing.T) {
	var saved string
	save := func(md string) (string, error) { saved = md; return "/tmp/r.md", nil }
	out, _, _ := walk(t, strings.NewReader("2\n2\ns\n1\n"), Options{Save: save})
	if strings.Count(out, "Riepilogo salvato in /tmp/r.md") != 2 {
		t.Errorf("s and the end node's first choice should both save:\n%s", out)
	}
	if !strings.Contains(saved, "## Esito: Informazione") {
		t.Errorf("saved %q", saved)
	}
	out, _, _ = walk(t, strings.NewReader("s\n"), Options{})
	if !strings.Contains(out, "Salvataggio del riepilogo non disponibile") {
		t.Errorf("no message without Save:\n%s", out)
	}
}

func TestCheckNode(t *testing.T) {
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		return check.Result{Check: name, Status: check.Pass, Title: "Dispositivo presente",
			Detail: "Un lettore, un token.", Facts: map[string]string{"token.label": "ProvaToken"}}
	})
	out, errOut, e := walk(t, strings.NewReader("1\n1\n"), Options{Runner: r})
	if got := e.CurrentRef().String(); got != "firma:trovato" {
		t.Errorf("at %s, want firma:trovato", got)
	}
	for _, w := range []string{"Verifica del dispositivo", "Inserisci il dispositivo di firma nella porta USB.",
		"Esito del controllo: OK — Dispositivo presente", "Un lettore, un token.", "Il dispositivo ProvaToken è pronto"} {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in:\n%s", w, out)
		}
	}
	if !strings.Contains(errOut, "Controllo in corso: Verifica del dispositivo…") {
		t.Errorf("no progress line on stderr: %q", errOut)
	}
}

func TestNilRunner(t *testing.T) {
	out, _, e := walk(t, strings.NewReader("1\n1\n"), Options{})
	if e.CurrentRef().String() != "firma:assistenza" || !strings.Contains(out, "Controllo automatico non disponibile") {
		t.Errorf("at %s:\n%s", e.CurrentRef(), out)
	}
}

func TestWaitPollsUntilPass(t *testing.T) {
	var calls atomic.Int32
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		if calls.Add(1) <= 2 {
			return check.Result{Check: name, Status: check.Fail, Title: "Nessun dispositivo"}
		}
		return check.Result{Check: name, Status: check.Pass, Title: "Dispositivo presente"}
	})
	// The input stays open (a pipe with no more lines) while the check polls.
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, "1\n1\n")
		time.Sleep(500 * time.Millisecond)
		pw.Close()
	}()
	out, _, e := walk(t, pr, Options{Runner: r, Poll: 10 * time.Millisecond})
	if e.CurrentRef().String() != "firma:trovato" {
		t.Fatalf("at %s, want firma:trovato:\n%s", e.CurrentRef(), out)
	}
	if calls.Load() != 3 || !strings.Contains(out, "In attesa: il controllo riparte ogni secondo") {
		t.Errorf("%d calls:\n%s", calls.Load(), out)
	}
}

func TestWaitStopsOnLineOrEOF(t *testing.T) {
	var calls atomic.Int32
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		calls.Add(1)
		return check.Result{Check: name, Status: check.Fail, Title: "Nessun dispositivo"}
	})
	for _, input := range []string{"1\n1\n\n", "1\n1\n"} { // a line, or the end of the input
		out, _, e := walk(t, strings.NewReader(input), Options{Runner: r, Poll: time.Hour})
		if e.CurrentRef().String() != "firma:assistenza" {
			t.Errorf("input %q: at %s, want the fail branch firma:assistenza:\n%s", input, e.CurrentRef(), out)
		}
		if n := strings.Count(out, "Esito del controllo: problema — Nessun dispositivo"); n != 1 {
			t.Errorf("input %q: the fail is printed %d times:\n%s", input, n, out)
		}
	}
	out, _, _ := walk(t, strings.NewReader("1\n1\nq\n"), Options{Runner: r, Poll: time.Hour})
	if strings.Contains(out, "Serve l'assistenza") {
		t.Errorf("q while waiting should quit:\n%s", out)
	}
}

func TestUnsafeTextIsEscaped(t *testing.T) {
	e := newEngine(t)
	e.Set().Node("pec", "inizio").Text = "Testo \x1b]0;titolo\x07 e \u202Eal contrario"
	out, _, _ := walk(t, strings.NewReader("2\n"), Options{Engine: e})
	if !strings.Contains(out, `Testo \x1b]0;titolo\x07 e \u{202e}al contrario`) {
		t.Errorf("unsafe text not shown escaped:\n%s", out)
	}
}

func TestContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe() // never written: only the context can end the dialogue
	defer pw.Close()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, pr, io.Discard, io.Discard, Options{Engine: newEngine(t)}) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run ignored the end of its context")
	}
}

func TestContextEndsDuringCheck(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		cancel() // as Ctrl+C while the check runs
		<-ctx.Done()
		return check.Result{Check: name, Status: check.Error, Title: "interrotto"}
	})
	e := newEngine(t)
	err := Run(ctx, strings.NewReader("1\n1\n"), io.Discard, io.Discard, Options{Engine: e, Runner: r})
	if err != context.Canceled {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if got := e.CurrentRef().String(); got != "firma:verifica" {
		t.Errorf("an interrupted check moved the walk to %s", got)
	}
	for _, ev := range e.Log() {
		if ev.Kind == engine.EvCheck {
			t.Errorf("an interrupted check was recorded: %+v", ev)
		}
	}
}

// TestOSVariant: the engine's system chooses the steps and text shown, and
// the screen says whose they are.
func TestOSVariant(t *testing.T) {
	for os, want := range map[flow.OS][]string{
		flow.Windows: {"Installare il driver\nIstruzioni per Windows.\n", "Passo 1: Scarica il driver per Windows (file .msi).",
			"Passo 2: Apri il file come amministratore e riavvia il computer."},
		flow.MacOS: {"Istruzioni per macOS.", "Su macOS il driver è un pacchetto .pkg del fornitore.",
			"Passo 1: Scarica il driver per il tuo sistema operativo."},
		flow.Linux: {"Istruzioni generali: non ce ne sono di specifiche per Linux.", "Il driver si scarica dalla pagina",
			"Passo 1: Scarica il driver per il tuo sistema operativo."},
	} {
		t.Run(string(os), func(t *testing.T) {
			e := newEngine(t)
			e.SetOS(os)
			out, _, _ := walk(t, strings.NewReader("1\n2\n"), Options{Engine: e})
			inOrder(t, out, want...)
			if os == flow.Windows && strings.Contains(out, "per il tuo sistema operativo") {
				t.Errorf("windows shows the common steps too:\n%s", out)
			}
		})
	}
}

// TestVisitTranscript: the saved summary shows the visit and the return.
func TestVisitTranscript(t *testing.T) {
	var saved string
	save := func(md string) (string, error) { saved = md; return "/tmp/r.md", nil }
	walk(t, strings.NewReader("2\n1\n3\n1\n1\ns\n"), Options{Save: save})
	for _, w := range []string{
		"2. **Accesso alla PEC** — risposta: «Mi serve il driver del dispositivo di firma»",
		"3. **Installare il driver** (Firma digitale (prova)) — visita, poi si torna a «Accesso alla PEC» — risposta: «Ora funziona»",
		"4. **Problema risolto** (Firma digitale (prova)) — risposta: «Torna a: «Accesso alla PEC»»",
		"5. **Accesso alla PEC** — ritorno dalla visita",
		"visita → Firma digitale (prova) › Installare il driver",
		"ritorno → PEC (prova) › Accesso alla PEC",
	} {
		if !strings.Contains(saved, w) {
			t.Errorf("summary lacks %q:\n%s", w, saved)
		}
	}
}
