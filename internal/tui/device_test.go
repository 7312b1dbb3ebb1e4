package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/check/checktest"
	"github.com/sportello/sportello/internal/engine"
)

// The device question: the probe finds two devices at the first check
// node; the node asks which one, lists each with its main problem, and
// follows the one chosen.
func TestDeviceQuestion(t *testing.T) {
	m := newTestModel(t, Options{Runner: checktest.ProbeRunner(checktest.TwoDevices)})
	for _, msg := range exec(press(m, "1", "1")) {
		m.Update(msg)
	}
	if m.node.run.choices == nil || m.node.run.last != nil {
		t.Fatalf("no device question: choices %v, result %+v", m.node.run.choices, m.node.run.last)
	}
	view := m.View()
	for _, want := range []string{engine.DeviceQuestion, "Sono collegati 2 dispositivi",
		"[1] «Vecchia» (MARIO ROSSI) — PIN bloccato",
		"[2] «Nuova» (MARIO ROSSI) — nessun problema rilevato"} {
		if !strings.Contains(view, want) {
			t.Errorf("the question lacks %q:\n%s", want, view)
		}
	}
	press(m, "2")
	if d := m.c.Engine.Device(); d == nil || d.Label != "Nuova" {
		t.Fatalf("device chosen %+v", d)
	}
	if r := m.node.run.last; r == nil || r.Device == nil || r.Device.Label != "Nuova" {
		t.Fatalf("result shown %+v", r)
	}
	if !strings.Contains(m.View(), "Dispositivo scelto: «Nuova» (MARIO ROSSI)") {
		t.Errorf("no confirmation on the status line:\n%s", m.View())
	}
	press(m, "enter")
	if got := where(m); got != "firma:trovato" {
		t.Fatalf("at %s, want firma:trovato", got)
	}
	if !strings.Contains(m.View(), "Il dispositivo Nuova è pronto per firmare.") {
		t.Errorf("the end node does not quote the chosen device:\n%s", m.View())
	}
	// The end node lists every device found.
	for _, want := range []string{"Dispositivi trovati (2):", "«Vecchia» (MARIO ROSSI): PIN bloccato; il certificato di firma è scaduto"} {
		if !strings.Contains(m.View(), want) {
			t.Errorf("end node lacks %q:\n%s", want, m.View())
		}
	}

	// Back to the check node: it runs again and follows the chosen device
	// without asking.
	press(m, "esc")
	for _, msg := range exec(press(m, "1")) {
		m.Update(msg)
	}
	if where(m) != "firma:verifica" || m.node.run.choices != nil || m.node.run.last == nil || m.node.run.last.Device.Label != "Nuova" {
		t.Fatalf("at %s, choices %v, result %+v", where(m), m.node.run.choices, m.node.run.last)
	}
}

// Esc on the question goes back, like on any node; the walk did not choose.
func TestDeviceQuestionBack(t *testing.T) {
	m := newTestModel(t, Options{Runner: checktest.ProbeRunner(checktest.TwoDevices)})
	for _, msg := range exec(press(m, "1", "1")) {
		m.Update(msg)
	}
	press(m, "esc")
	if got := where(m); got != "firma:sintomo" || m.c.Engine.Device() != nil {
		t.Errorf("at %s, device %+v", got, m.c.Engine.Device())
	}
}

// One device: nothing is asked.
func TestOneDeviceIsNotAsked(t *testing.T) {
	one := func(ctx context.Context) []check.Result {
		rs := checktest.TwoDevices(ctx)
		return []check.Result{rs[0], rs[1], rs[3], rs[5]}
	}
	m := newTestModel(t, Options{Runner: checktest.ProbeRunner(one)})
	for _, msg := range exec(press(m, "1", "1")) {
		m.Update(msg)
	}
	if m.node.run.choices != nil || m.node.run.last == nil || m.node.run.last.Device.Label != "Vecchia" {
		t.Fatalf("choices %v result %+v", m.node.run.choices, m.node.run.last)
	}
	if strings.Contains(m.View(), engine.DeviceQuestion) {
		t.Error("asked with one device")
	}
}

// The question in the real program loop, compared with its golden frame.
func TestDeviceQuestionGolden(t *testing.T) {
	tm := startProgram(t, Options{Runner: checktest.ProbeRunner(checktest.TwoDevices)})
	sendKeys(tm, "1", "1")
	waitText(t, tm, "nessun problema rilevato")
	final := finish(t, tm)
	teatest.RequireEqualOutput(t, []byte(final.View()))
}
