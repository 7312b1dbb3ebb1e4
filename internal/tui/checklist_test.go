package tui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/check/checktest"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

// selfCheckSet is the walk fixtures and the self-check fixture
// (testdata/selfcheck): the topics list the self-check first.
func selfCheckSet(t testing.TB) *flow.Set {
	t.Helper()
	set, err := flow.LoadPaths([]string{fixtures, "../../testdata/selfcheck"}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// selfCheckEngine stands on the self-check's list.
func selfCheckEngine(t testing.TB) *engine.Engine {
	t.Helper()
	e := engine.New(selfCheckSet(t))
	e.SetOS(flow.Linux)
	if err := e.Start(engine.Ref{Flow: "autodiagnosi", Node: "controlli"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// fullTwoDevices is checktest.TwoDevices with the PUK and CNS results of
// both devices: every check of the fixture answered.
func fullTwoDevices(ctx context.Context) []check.Result {
	old, renewed := checktest.Old, checktest.New
	rs := checktest.TwoDevices(ctx)
	return append(rs,
		check.Result{Check: check.TokenPUK, Status: check.Pass, Title: "PUK del dispositivo «Vecchia» utilizzabile", Device: &old},
		check.Result{Check: check.TokenPUK, Status: check.Pass, Title: "PUK del dispositivo «Nuova» utilizzabile", Device: &renewed},
		check.Result{Check: check.TokenCNS, Status: check.Skip, Title: "Nessun certificato CNS sul dispositivo «Vecchia»", Device: &old},
		check.Result{Check: check.TokenCNS, Status: check.Pass, Title: "Il certificato CNS di MARIO ROSSI è valido", Device: &renewed},
	)
}

// spinnerFrames are the frames of spinner.Dot: a golden frame must not
// depend on how many ticks went by.
var spinnerFrames = regexp.MustCompile(`[⣾⣽⣻⢿⡿⣟⣯⣷] `)

func steadyView(m *Model) []byte { return []byte(spinnerFrames.ReplaceAllString(m.View(), "⣾ ")) }

// TestSelfCheckGolden: the self-check screen at 80×40 while results come
// in, with all of them, with nothing to solve, with two devices, and a
// problem followed; the status line of the topics; the operator's header.
func TestSelfCheckGolden(t *testing.T) {
	never := make(chan struct{})
	office := func(redact bool) (diag.Saved, error) {
		return diag.Saved{Path: "/home/mario/Documenti/rapporto-sportello-20261201-113400.json", Redacted: redact,
			Line: "Problema: «Firma Test» — PIN bloccato (e un altro avviso)"}, nil
	}
	tests := []struct {
		name   string
		opts   Options
		home   bool // start at the topics, not on the list
		keys   []string
		want   string
		height int
	}{
		{name: "pending", opts: Options{Runner: checktest.Live{Probe: checktest.OneDevice, Hold: 3, Gate: never}}, want: "Controlli in corso: 3 di 6"},
		{name: "results", opts: Options{Runner: checktest.Live{Probe: checktest.OneDevice}}, want: "Trovato 1 problema e 1 avviso"},
		{name: "all-clear", opts: Options{Runner: checktest.Live{Probe: allClear}}, want: "nessun problema. r ricontrolla."},
		{name: "second-problem", opts: Options{Runner: checktest.Live{Probe: checktest.OneDevice}}, keys: []string{"down"}, want: "▸ [2]"},
		{name: "two-devices", opts: Options{Runner: checktest.Live{Probe: fullTwoDevices}}, want: "Dispositivo «Nuova»", height: 50},
		{name: "follow", opts: Options{Runner: checktest.Live{Probe: checktest.OneDevice}}, keys: []string{"enter"}, want: "torni a «Autodiagnosi del dispositivo»"},
		{name: "office-ask", opts: Options{Runner: checktest.Live{Probe: checktest.OneDevice}, Office: office}, keys: []string{"3"}, want: "Vuoi mascherare"},
		{name: "office-saved", opts: Options{Runner: checktest.Live{Probe: checktest.OneDevice}, Office: office}, keys: []string{"3", "1"}, want: "Da leggere all'ufficio"},
		{name: "status-line", home: true, opts: Options{Status: checktest.ProbeRunner(checktest.OneDevice)}, want: "PIN bloccato"},
		{name: "status-pending", home: true, opts: Options{Status: checktest.Live{Probe: checktest.OneDevice, Gate: never}}, want: "in corso"},
		{name: "operator", home: true, opts: Options{Status: checktest.ProbeRunner(checktest.OneDevice),
			Header: "Dati dal rapporto del 01/12/2026 11:34 · «Firma Test» (MARIO ROSSI), non da questo computer"}, want: "PIN bloccato"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Engine = selfCheckEngine(t)
			if tt.home {
				opts.Engine.Home()
			}
			h := tt.height
			if h == 0 {
				h = 40
			}
			tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, h))
			if len(tt.keys) > 0 {
				waitText(t, tm, "Trovato 1 problema")
			}
			sendKeys(tm, tt.keys...)
			waitText(t, tm, tt.want)
			teatest.RequireEqualOutput(t, steadyView(finish(t, tm)))
		})
	}
}

// allClear is checktest.OneDevice with its PIN and its certificate
// fixed: a self-check that finds nothing to solve.
func allClear(ctx context.Context) []check.Result {
	rs := checktest.OneDevice(ctx)
	fixed := map[string]string{
		check.TokenPIN:         "PIN del dispositivo «Firma Test» utilizzabile",
		check.TokenCertificate: "Il certificato di firma di MARIO ROSSI è valido fino al 13/12/2027",
	}
	for i, r := range rs {
		if title, ok := fixed[r.Check]; ok {
			rs[i] = check.Result{Check: r.Check, Status: check.Pass, Title: title, Device: r.Device}
		}
	}
	return rs
}

// countRunner counts its runs and answers with probe.
type countRunner struct {
	n     atomic.Int32
	probe func(context.Context) []check.Result
}

func (c *countRunner) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	c.n.Add(1)
	return checktest.Live{Probe: c.probe}.Run(ctx, names, emit)
}

// The list fills in as results arrive, with no key pressed.
func TestSelfCheckFillsInLive(t *testing.T) {
	gate := make(chan struct{})
	tm := startProgram(t, Options{Engine: selfCheckEngine(t), Runner: checktest.Live{Probe: checktest.OneDevice, Hold: 1, Gate: gate}})
	waitText(t, tm, "Controlli in corso: 1 di 6")
	for i := 2; i <= 6; i++ {
		gate <- struct{}{}
		if i < 6 {
			waitText(t, tm, fmt.Sprintf("Controlli in corso: %d di 6", i))
		}
	}
	waitText(t, tm, "Trovato 1 problema e 1 avviso")
	m := finish(t, tm)
	if m.list.running() || len(m.list.results) != 6 || len(m.list.problems) != 2 {
		t.Errorf("running %v, %d results, %d problems", m.list.running(), len(m.list.results), len(m.list.problems))
	}
}

// Enter on a problem opens its guide as a visit; its way back and Esc
// return to the list, which runs again.
func TestSelfCheckFollowAndReturn(t *testing.T) {
	r := &countRunner{probe: checktest.OneDevice}
	m := New(Options{Engine: selfCheckEngine(t), Runner: r})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 40})
	drain(m, m.Init())
	if len(m.list.problems) != 2 || m.list.running() {
		t.Fatalf("problems %d, running %v", len(m.list.problems), m.list.running())
	}
	press(m, "enter")
	if got := where(m); got != "autodiagnosi:pin" {
		t.Fatalf("Enter on the locked PIN led to %s", got)
	}
	if !strings.Contains(m.View(), "Il PIN di Firma Test è bloccato.") {
		t.Errorf("the guide does not quote the facts:\n%s", m.View())
	}
	drain(m, press(m, "1")) // Torna all'elenco dei controlli (resume)
	if got := where(m); got != "autodiagnosi:controlli" || r.n.Load() != 2 {
		t.Fatalf("at %s after the way back, %d runs", got, r.n.Load())
	}
	press(m, "2") // the expiring certificate
	if got := where(m); got != "autodiagnosi:certificato" {
		t.Fatalf("at %s", got)
	}
	drain(m, press(m, "esc"))
	if got := where(m); got != "autodiagnosi:controlli" || r.n.Load() != 3 || len(m.list.problems) != 2 {
		t.Fatalf("at %s after Esc, %d runs", got, r.n.Load())
	}
	drain(m, press(m, "r"))
	if r.n.Load() != 4 {
		t.Errorf("r: %d runs, want 4", r.n.Load())
	}
	press(m, "3") // Continua
	if got := where(m); got != "autodiagnosi:riepilogo" || !strings.Contains(m.View(), "Dispositivo: Firma Test. PIN: bloccato.") {
		t.Errorf("at %s:\n%s", got, m.View())
	}
	md := m.c.Engine.Markdown(false)
	for _, want := range []string{"elenco dei controlli: 6 controlli, 1 problema e 1 avviso", "risposta «problema: PIN del dispositivo «Firma Test» bloccato»"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
}

// drain runs cmd and the commands its messages return, until they stop
// (ticks are dropped: they would never stop).
func drain(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil, spinner.TickMsg, statusTickMsg:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// runnerFunc is a check.Runner made of a function.
type runnerFunc func(ctx context.Context, names []string, emit func(check.Result)) []check.Result

func (f runnerFunc) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	return f(ctx, names, emit)
}

// Esc while the checks run cancels them and goes back (home: the list is
// the flow's start).
func TestSelfCheckEscCancels(t *testing.T) {
	returned := make(chan struct{})
	run := runnerFunc(func(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
		defer close(returned)
		<-ctx.Done()
		return nil
	})
	m := newTestModel(t, Options{Engine: selfCheckEngine(t), Runner: run}) // Init starts the run
	if !m.list.running() {
		t.Fatal("the run did not start")
	}
	press(m, "esc")
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("Esc did not cancel the run")
	}
	if !m.c.Engine.AtHome() || m.list.running() {
		t.Errorf("at %s after Esc, running %v", where(m), m.list.running())
	}
	for _, ev := range m.c.Engine.Log() {
		if ev.Kind == engine.EvChecklist {
			t.Error("a cancelled run was recorded")
		}
	}
}

// The status line: the device's state, refreshed while the topics are
// shown; a probe every StatusEvery, none while another screen is; a
// device plugged in shows at the next probe.
func TestStatusLineRefreshes(t *testing.T) {
	var plugged atomic.Bool
	probe := func(ctx context.Context) []check.Result {
		if plugged.Load() {
			return checktest.OneDevice(ctx)
		}
		return []check.Result{
			{Check: check.TokenModule, Status: check.Pass, Title: "Driver caricato"},
			{Check: check.TokenPresent, Status: check.Fail, Title: "Nessun dispositivo di firma rilevato", Node: check.NodeNotRecognised},
		}
	}
	r := &countRunner{probe: probe}
	e := selfCheckEngine(t)
	e.Home()
	tm := startProgram(t, Options{Engine: e, Status: r, StatusEvery: 20 * time.Millisecond})
	waitText(t, tm, "✗ Nessun dispositivo inserito · premi a per l'autodiagnosi")
	plugged.Store(true)
	waitText(t, tm, "✗ «Firma Test»: PIN bloccato")
	sendKeys(tm, "3") // PEC: the topics are not shown
	waitText(t, tm, "Problema con la PEC")
	time.Sleep(60 * time.Millisecond) // a probe in flight ends
	n := r.n.Load()
	time.Sleep(200 * time.Millisecond)
	if got := r.n.Load(); got != n {
		t.Errorf("%d probes while the topics were not shown", got-n)
	}
	sendKeys(tm, "h")
	waitText(t, tm, "Scegli l'argomento")
	deadline := time.Now().Add(5 * time.Second)
	for r.n.Load() < n+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if r.n.Load() < n+2 {
		t.Errorf("the probes did not resume at the topics")
	}
	sendKeys(tm, "a")
	waitText(t, tm, "Autodiagnosi del dispositivo")
	if m := finish(t, tm); where(m) != "autodiagnosi:controlli" {
		t.Errorf("a opened %s", where(m))
	}
}
