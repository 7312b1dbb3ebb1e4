package tui

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/engine"
)

// The fixtures' check node is firma:verifica (token.present, wait: true):
// pass → trovato, fail and others → assistenza. Keys "1", "1" reach it.

func pass(name string) check.Result {
	return check.Result{Check: name, Status: check.Pass, Title: "Dispositivo presente",
		Detail: "Lettore con un token inserito.", Facts: map[string]string{"token.label": "ProvaToken"}}
}

func fail(name string) check.Result {
	return check.Result{Check: name, Status: check.Fail, Title: "Nessun dispositivo trovato",
		Remedy: "Inserisci il dispositivo."}
}

// startProgram runs the real program loop on m at 80×24.
func startProgram(t *testing.T, opts Options) *teatest.TestModel {
	t.Helper()
	if opts.Engine == nil {
		opts.Engine = newEngine(t)
	}
	return teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
}

// waitText waits until the program has drawn s (since the last wait).
func waitText(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func finish(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
}

func sendKeys(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

func TestCheckSpinsThenFollowsOutcome(t *testing.T) {
	release := make(chan struct{})
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		<-release
		return pass(name)
	})
	tm := startProgram(t, Options{Runner: r})
	sendKeys(tm, "1", "1")
	waitText(t, tm, "Controllo in corso")
	close(release)
	waitText(t, tm, "OK: Dispositivo presente")
	sendKeys(tm, "enter")
	waitText(t, tm, "Il dispositivo ProvaToken è pronto per firmare.")
	m := finish(t, tm)
	if got := m.c.Engine.CurrentRef().String(); got != "firma:trovato" {
		t.Errorf("pass led to %s, want firma:trovato", got)
	}
}

func TestEscCancelsRunningCheck(t *testing.T) {
	cancelled := make(chan struct{})
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		<-ctx.Done()
		close(cancelled)
		return check.Result{Check: name, Status: check.Error, Title: "annullato"}
	})
	tm := startProgram(t, Options{Runner: r})
	sendKeys(tm, "1", "1")
	waitText(t, tm, "Controllo in corso")
	sendKeys(tm, "esc")
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("Esc did not cancel the check's context")
	}
	waitText(t, tm, "Il computer non riconosce il dispositivo")
	m := finish(t, tm)
	if got := where(m); got != "firma:sintomo" {
		t.Errorf("Esc during a check led to %s, want firma:sintomo", got)
	}
	for _, ev := range m.c.Engine.Log() {
		if ev.Kind == engine.EvCheck {
			t.Errorf("a cancelled check was recorded: %+v", ev)
		}
	}
}

func TestWaitNodePollsUntilPass(t *testing.T) {
	var calls atomic.Int32
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		if calls.Add(1) <= 3 {
			return fail(name)
		}
		return pass(name)
	})
	tm := startProgram(t, Options{Runner: r, Poll: 20 * time.Millisecond})
	sendKeys(tm, "1", "1")
	waitText(t, tm, "In attesa: nuovo controllo ogni secondo")
	waitText(t, tm, "OK: Dispositivo presente")
	sendKeys(tm, "enter")
	waitText(t, tm, "Dispositivo trovato")
	finish(t, tm)
	if n := calls.Load(); n != 4 {
		t.Errorf("the check ran %d times, want 4 (3 fails, then pass)", n)
	}
}

func TestStopWaitingFollowsFail(t *testing.T) {
	r := funcRunner(func(ctx context.Context, name string) check.Result { return fail(name) })
	tm := startProgram(t, Options{Runner: r, Poll: 20 * time.Millisecond})
	sendKeys(tm, "1", "1")
	waitText(t, tm, "Continua senza aspettare")
	sendKeys(tm, "enter")
	waitText(t, tm, "Serve l'assistenza")
	m := finish(t, tm)
	if got := where(m); got != "firma:assistenza" {
		t.Errorf("stop waiting led to %s, want firma:assistenza", got)
	}
	if m.node.run.waiting || m.node.run.running() {
		t.Error("still polling after leaving the node")
	}
}

func TestNilRunnerSaysUnavailable(t *testing.T) {
	tm := startProgram(t, Options{})
	sendKeys(tm, "1", "1")
	waitText(t, tm, "Controllo automatico non disponibile")
	sendKeys(tm, "enter")
	waitText(t, tm, "Serve l'assistenza")
	if got := where(finish(t, tm)); got != "firma:assistenza" {
		t.Errorf("an unavailable check led to %s, want the error branch firma:assistenza", got)
	}
}

// exec runs cmd and the commands it batches and returns their messages. Only
// for commands that return at once.
func exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, exec(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestStaleResultIsDropped(t *testing.T) {
	r := funcRunner(func(ctx context.Context, name string) check.Result { return pass(name) })
	m := newTestModel(t, Options{Runner: r})
	first := press(m, "1", "1") // starts the check
	press(m, "esc")             // leaves before the result
	late := exec(first)
	for _, msg := range late {
		m.Update(msg)
	}
	if got := where(m); got != "firma:sintomo" {
		t.Fatalf("at %s after a late result, want firma:sintomo", got)
	}
	if m.node.run.last != nil {
		t.Fatal("a late result was taken")
	}

	second := press(m, "1") // back on the check node: a new run
	for _, msg := range late {
		m.Update(msg) // the old run's result again: still stale
	}
	if m.node.run.last != nil || !m.node.run.running() {
		t.Fatal("an old run's result was taken by a new run")
	}
	for _, msg := range exec(second) {
		m.Update(msg)
	}
	if m.node.run.last == nil || m.node.run.last.Status != check.Pass {
		t.Fatalf("the new run's result was not shown: %+v", m.node.run.last)
	}
	press(m, "enter")
	if got := where(m); got != "firma:trovato" {
		t.Errorf("at %s, want firma:trovato", got)
	}
}

func TestQuitCancelsRunningCheck(t *testing.T) {
	var ctxSeen context.Context
	started := make(chan struct{})
	r := funcRunner(func(ctx context.Context, name string) check.Result {
		ctxSeen = ctx
		close(started)
		<-ctx.Done()
		return fail(name)
	})
	m := newTestModel(t, Options{Runner: r})
	cmd := press(m, "1", "1")
	go exec(cmd)
	<-started
	if !isQuit(press(m, "q")) {
		t.Fatal("q did not quit")
	}
	select {
	case <-ctxSeen.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("quitting left the check running")
	}
}

func TestPanickingRunnerShowsError(t *testing.T) {
	r := funcRunner(func(ctx context.Context, name string) check.Result { panic("modulo rotto") })
	m := newTestModel(t, Options{Runner: r})
	for _, msg := range exec(press(m, "1", "1")) {
		m.Update(msg)
	}
	if got := m.node.run.last; got == nil || got.Status != check.Error {
		t.Fatalf("a panicking check gave %+v, want an Error result", got)
	}
	press(m, "enter")
	if got := where(m); got != "firma:assistenza" {
		t.Errorf("at %s, want the error branch firma:assistenza", got)
	}
}

func TestRunFromCheckNode(t *testing.T) {
	// sportello run firma:verifica: the check starts on Init.
	eng := newEngine(t)
	if err := eng.Start(engine.Ref{Flow: "firma", Node: "verifica"}); err != nil {
		t.Fatal(err)
	}
	r := funcRunner(func(ctx context.Context, name string) check.Result { return pass(name) })
	tm := startProgram(t, Options{Engine: eng, Runner: r})
	waitText(t, tm, "OK: Dispositivo presente")
	finish(t, tm)
}
