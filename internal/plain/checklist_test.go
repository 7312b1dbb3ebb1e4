package plain

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/check/checktest"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

// selfCheckEngine stands on the self-check fixture's list
// (testdata/selfcheck).
func selfCheckEngine(t *testing.T) *engine.Engine {
	t.Helper()
	set, err := flow.LoadPaths([]string{"../../testdata/walk", "../../testdata/selfcheck"}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(set)
	e.SetOS(flow.Linux)
	if err := e.Start(engine.Ref{Flow: "autodiagnosi", Node: "controlli"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// The list by group, problems expanded, then the verdict and the menu of
// the problems to follow; a problem opens its guide, whose way back
// returns to the list, which runs again; Continue goes on.
func TestChecklistListAndMenu(t *testing.T) {
	out, errOut, e := walk(t, strings.NewReader("1\n1\n3\n"), Options{Engine: selfCheckEngine(t), Runner: checktest.Live{Probe: checktest.OneDevice}, Echo: true})
	inOrder(t, out,
		"\nAutodiagnosi del dispositivo\n",
		"Driver e dispositivo\n  OK — Driver del dispositivo di firma caricato: libbit4xpki.so\n  OK — Dispositivo di firma presente: «Firma Test»\n",
		"PIN e PUK\n  problema — PIN del dispositivo «Firma Test» bloccato\n    Il PIN è bloccato dopo troppi tentativi errati.\n    Cosa fare: Sblocca il PIN con il codice PUK, scegliendo un nuovo PIN.\n  OK — PUK del dispositivo «Firma Test» utilizzabile\n",
		"Certificati\n  attenzione — Il certificato di firma di MARIO ROSSI scade tra 12 giorni: rinnovalo prima della scadenza\n",
		"Esito: Trovato 1 problema e 1 avviso: segui le indicazioni (6 controlli).\n",
		"Problemi da risolvere:\n  1. PIN del dispositivo «Firma Test» bloccato → apre «Sblocca il PIN»\n  2. Il certificato di firma di MARIO ROSSI scade tra 12 giorni: rinnovalo prima della scadenza → apre «Rinnova il certificato»\n  3. Continua: «Riepilogo dell'autodiagnosi»\n",
		"Risposta (1-3, r ricontrolla, b indietro, h argomenti, ? aiuto, q esci): 1\n",
		"↪ Alla fine di questa parte torni a «Autodiagnosi del dispositivo».\nSblocca il PIN\nIl PIN di Firma Test è bloccato.\n",
		"  1. Torna all'elenco dei controlli\n",
		"\nAutodiagnosi del dispositivo\n", // back, run again
		"Esito: Trovato 1 problema",
		"): 3\n",
		"Esito: Informazione\nRiepilogo dell'autodiagnosi\nDispositivo: Firma Test. PIN: bloccato.\n",
	)
	if strings.Count(errOut, "Controlli in corso: Autodiagnosi del dispositivo…") != 2 {
		t.Errorf("stderr: %q", errOut)
	}
	if got := e.CurrentRef().String(); got != "autodiagnosi:riepilogo" {
		t.Errorf("at %s", got)
	}
}

// gatedRunner emits results in a given order, each after the test lets it
// go, so that the test sees what is printed in between.
type gatedRunner struct {
	order []check.Result
	step  chan struct{}
	after chan struct{} // one per result, once emitted
}

func (g gatedRunner) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	for _, r := range g.order {
		<-g.step
		emit(r)
		g.after <- struct{}{}
	}
	return checktest.OneDevice(ctx)
}

// syncBuffer is a buffer a test reads while the dialogue writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The lines are printed as soon as they and the ones before them are
// known, in the list's order, whatever order the results arrive in.
func TestChecklistPrintsAsResultsArrive(t *testing.T) {
	rs := checktest.OneDevice(context.Background())
	g := gatedRunner{order: []check.Result{rs[0], rs[1], rs[2], rs[3], rs[4], rs[5]}, step: make(chan struct{}), after: make(chan struct{}, 6)}
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), strings.NewReader(""), &out, &syncBuffer{}, Options{Engine: selfCheckEngine(t), Runner: g})
	}()
	expect := func(step int, has, lacks string) {
		t.Helper()
		g.step <- struct{}{}
		<-g.after
		for i := 0; i < 200; i++ { // the printer takes the result from its channel
			if has == "" || strings.Contains(out.String(), has) {
				break
			}
			timeSleep()
		}
		if has != "" && !strings.Contains(out.String(), has) {
			t.Fatalf("after result %d, no %q:\n%s", step, has, out.String())
		}
		if lacks != "" && strings.Contains(out.String(), lacks) {
			t.Fatalf("after result %d, already %q:\n%s", step, lacks, out.String())
		}
	}
	expect(1, "OK — Driver del dispositivo", "Dispositivo di firma presente")
	// token.present is complete only once a later token check arrives.
	expect(2, "", "Dispositivo di firma presente")
	expect(3, "OK — Dispositivo di firma presente", "PUK del dispositivo")
	expect(4, "problema — PIN del dispositivo", "Certificati")
	expect(5, "OK — PUK del dispositivo", "Certificato CNS")
	expect(6, "attenzione — Il certificato di firma", "")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "OK — Il certificato CNS") {
		t.Errorf("the last line is not printed:\n%s", out.String())
	}
}

// The report for the office: asked whether to mask, then where it went
// and what to read out; the operator's header comes first.
func TestChecklistSaveForOfficeAndHeader(t *testing.T) {
	var masked []bool
	office := func(redact bool) (diag.Saved, error) {
		masked = append(masked, redact)
		return diag.Saved{Path: "/tmp/rapporto.json", Redacted: redact, Line: "Problema: «Firma Test» — PIN bloccato"}, nil
	}
	out, _, _ := walk(t, strings.NewReader("3\n1\n3\n2\nq\n"), Options{Engine: selfCheckEngine(t), Runner: checktest.ProbeRunner(checktest.OneDevice),
		Office: office, Header: "Dati dal rapporto del 01/12/2026 11:34, non da questo computer", Echo: true})
	inOrder(t, out,
		"Dati dal rapporto del 01/12/2026 11:34, non da questo computer\n",
		"  3. Salva il rapporto per l'ufficio\n  4. Continua",
		"Vuoi mascherare i dati personali",
		"Rapporto per l'ufficio salvato in /tmp/rapporto.json\nDa leggere all'ufficio: Problema: «Firma Test» — PIN bloccato\n",
		"Rapporto per l'ufficio salvato in /tmp/rapporto.json\nContiene codice fiscale e numeri di serie in chiaro.\n",
	)
	if len(masked) != 2 || !masked[0] || masked[1] {
		t.Errorf("masked %v, want [true false]", masked)
	}
}

// r runs the checks again; b at the flow's start goes to the topics.
func TestChecklistRerunAndBack(t *testing.T) {
	var runs int
	r := runnerOf(func(ctx context.Context) []check.Result { runs++; return checktest.OneDevice(ctx) })
	out, _, e := walk(t, strings.NewReader("r\nb\n"), Options{Engine: selfCheckEngine(t), Runner: r})
	if runs != 2 || !e.AtHome() || !strings.Contains(out, "Argomenti:") {
		t.Errorf("%d runs, at home %v:\n%s", runs, e.AtHome(), out)
	}
}

func runnerOf(f func(context.Context) []check.Result) checktest.ProbeRunner {
	return checktest.ProbeRunner(f)
}

func timeSleep() { time.Sleep(5 * time.Millisecond) }
