package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/check/checktest"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
}

// fixtures is the test flow set shared by the TUI, plain and binary tests.
const fixtures = "../../testdata/walk"

func loadSet(t testing.TB) *flow.Set {
	t.Helper()
	set, err := flow.LoadPaths([]string{fixtures}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// newEngine walks the fixtures showing the Linux variants (the fixtures have
// none for Linux: the common text), whatever system runs the tests.
func newEngine(t testing.TB) *engine.Engine {
	e := engine.New(loadSet(t))
	e.SetOS(flow.Linux)
	return e
}

// funcRunner is the test double for check.Runner: a function (see
// checktest.Func).
type funcRunner = checktest.Func

// newTestModel returns a model at 80×24 with the fixtures, Init done.
func newTestModel(t testing.TB, opts Options) *Model {
	t.Helper()
	if opts.Engine == nil {
		opts.Engine = newEngine(t)
	}
	m := New(opts)
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

// keyMsg turns "enter", "esc", "up", "ctrl+c"… or text into a key message.
func keyMsg(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"backspace": tea.KeyBackspace, "ctrl+c": tea.KeyCtrlC, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
		"home": tea.KeyHome,
	}
	if t, ok := named[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys one by one and returns the command of the last one.
func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(keyMsg(k))
	}
	return cmd
}

func where(m *Model) string {
	if m.c.Engine.AtHome() {
		return "home"
	}
	return m.c.Engine.CurrentRef().String()
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestNavigation(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string
		where  string   // engine position after the keys
		screen screenID // screen shown
	}{
		{"starts at home", nil, "home", homeID},
		{"enter chooses the first topic", []string{"enter"}, "firma:sintomo", nodeID},
		{"number chooses a topic", []string{"2"}, "pec:inizio", nodeID},
		{"down then enter", []string{"down", "enter"}, "pec:inizio", nodeID},
		{"j and k move too", []string{"j", "k", "enter"}, "firma:sintomo", nodeID},
		{"number chooses a choice", []string{"1", "2"}, "firma:driver", nodeID},
		{"enter on the selected choice", []string{"1", "down", "down", "up", "enter"}, "firma:driver", nodeID},
		{"number out of range does nothing", []string{"9"}, "home", homeID},
		{"choice into another flow", []string{"1", "3"}, "pec:inizio", nodeID},
		{"back across flows", []string{"1", "3", "esc"}, "firma:sintomo", nodeID},
		{"backspace goes back", []string{"2", "1", "backspace"}, "pec:inizio", nodeID},
		{"back from a first node goes home", []string{"1", "esc"}, "home", homeID},
		{"back at home stays home", []string{"esc"}, "home", homeID},
		{"h goes home", []string{"1", "2", "h"}, "home", homeID},
		{"the Home key goes home", []string{"1", "home"}, "home", homeID},
		{"end node: restart the flow", []string{"1", "2", "1", "2"}, "firma:sintomo", nodeID},
		{"end node: back to the topics", []string{"1", "2", "1", "3"}, "home", homeID},
		{"end node: back one step", []string{"1", "2", "1", "esc"}, "firma:driver", nodeID},
		{"steps into another flow's end", []string{"2", "1", "2"}, "firma:assistenza", nodeID},
		{"help opens", []string{"1", "?"}, "firma:sintomo", helpID},
		{"help closes with ?", []string{"1", "?", "?"}, "firma:sintomo", nodeID},
		{"help closes with esc, without going back", []string{"1", "?", "esc"}, "firma:sintomo", nodeID},
		{"h from help goes home", []string{"1", "?", "h"}, "home", homeID},
		{"search opens", []string{"1", "/"}, "firma:sintomo", searchID},
		{"search types letters, not keys", []string{"/", "q", "h", "s", "?", "1"}, "home", searchID},
		{"search esc closes without moving", []string{"1", "/", "p", "esc"}, "firma:sintomo", nodeID},
		{"search result jump", append(append([]string{"/"}, strings.Split("casella piena", "")...), "enter"), "pec:piena", nodeID},
		{"search result jump from a node, back returns",
			append(append([]string{"1", "/"}, strings.Split("driver", "")...), "enter", "esc"), "firma:sintomo", nodeID},
		{"search picks the second hit", append(append([]string{"/"}, strings.Split("driver", "")...), "down", "enter"), "firma:sintomo", nodeID},
		{"enter with no hits does nothing", []string{"/", "z", "z", "z", "enter"}, "home", searchID},
		// pec:accesso (2, 1) visits firma:driver (3).
		{"a visit goes to another flow", []string{"2", "1", "3"}, "firma:driver", nodeID},
		{"resume comes back to the caller", []string{"2", "1", "3", "3"}, "pec:accesso", nodeID},
		{"an end in a visit comes back with 1", []string{"2", "1", "3", "1", "1"}, "pec:accesso", nodeID},
		{"an end in a visit comes back with enter", []string{"2", "1", "3", "2", "enter"}, "pec:accesso", nodeID},
		{"an end in a visit: restart is third", []string{"2", "1", "3", "1", "3"}, "pec:inizio", nodeID},
		{"an end in a visit: topics is fourth", []string{"2", "1", "3", "1", "4"}, "home", homeID},
		{"back out of a visit", []string{"2", "1", "3", "esc"}, "pec:accesso", nodeID},
		{"back into a visit after its return", []string{"2", "1", "3", "1", "1", "esc"}, "firma:risolto", nodeID},
		{"h closes a visit", []string{"2", "1", "3", "h"}, "home", homeID},
		{"outside a visit there is no resume choice", []string{"1", "2", "3"}, "firma:driver", nodeID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{})
			press(m, tt.keys...)
			if got := where(m); got != tt.where {
				t.Errorf("at %s, want %s", got, tt.where)
			}
			if m.active != tt.screen {
				t.Errorf("screen %d, want %d", m.active, tt.screen)
			}
		})
	}
}

func TestQuit(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		quit bool
	}{
		{"q at home", []string{"q"}, true},
		{"q on a node", []string{"1", "q"}, true},
		{"q in help", []string{"?", "q"}, true},
		{"ctrl+c", []string{"1", "ctrl+c"}, true},
		{"ctrl+c while searching", []string{"/", "ctrl+c"}, true},
		{"q while searching is a letter", []string{"/", "q"}, false},
		{"esc is not quit", []string{"esc"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{})
			if got := isQuit(press(m, tt.keys...)); got != tt.quit {
				t.Errorf("quit = %v, want %v", got, tt.quit)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	var saved []string
	save := func(md string) (string, error) {
		saved = append(saved, md)
		return "/tmp/riepilogo.md", nil
	}
	m := newTestModel(t, Options{Save: save})
	press(m, "1", "2", "2", "s")
	if len(saved) != 1 || !strings.Contains(saved[0], "## Esito: Da inoltrare all'assistenza") ||
		!strings.Contains(saved[0], "risposta: «Voglio installare il driver»") {
		t.Fatalf("s saved %q", saved)
	}
	if v := m.View(); !strings.Contains(v, "Riepilogo salvato in /tmp/riepilogo.md") {
		t.Errorf("the path is not shown:\n%s", v)
	}
	press(m, "down")
	if v := m.View(); strings.Contains(v, "Riepilogo salvato") {
		t.Errorf("the status line stays after the next key:\n%s", v)
	}
	press(m, "up", "enter") // the end node's first action saves too
	if len(saved) != 2 {
		t.Errorf("the end node's «Salva il riepilogo» did not save")
	}
}

func TestSummaryUnavailable(t *testing.T) {
	m := newTestModel(t, Options{})
	press(m, "s")
	if v := m.View(); !strings.Contains(v, "Salvataggio del riepilogo non disponibile") {
		t.Errorf("no message without a Save function:\n%s", v)
	}
}

func TestResizeNeverPanics(t *testing.T) {
	sizes := [][2]int{{0, 0}, {1, 1}, {2, 2}, {5, 3}, {10, 4}, {30, 8}, {40, 12}, {200, 60}, {80, 24}}
	screens := [][]string{nil, {"1"}, {"1", "2"}, {"1", "2", "2"}, {"/", "d"}, {"?"}, {"2", "1"}}
	for _, keys := range screens {
		m := newTestModel(t, Options{})
		press(m, keys...)
		for _, s := range sizes {
			m.Update(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
			v := m.View()
			lines := strings.Split(v, "\n")
			if s[1] > 0 && len(lines) != s[1] {
				t.Errorf("keys %v at %dx%d: %d lines", keys, s[0], s[1], len(lines))
			}
			for _, l := range lines {
				if w := lipgloss.Width(l); w > s[0] {
					t.Errorf("keys %v at %dx%d: line %q is %d wide", keys, s[0], s[1], l, w)
				}
			}
			press(m, "down", "pgdown", "up")
		}
	}
}

func TestBreadcrumbs(t *testing.T) {
	m := newTestModel(t, Options{})
	press(m, "1", "3", "1")
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 24})
	v := m.View()
	want := "Firma digitale (prova) › Problema con la firma › PEC (prova) › Problema con la PEC › Accesso alla PEC"
	if !strings.Contains(v, want) {
		t.Errorf("breadcrumbs missing:\n%s", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 24})
	if v := m.View(); !strings.Contains(v, "…") || !strings.Contains(v, "› Accesso alla PEC") {
		t.Errorf("breadcrumbs are not cut from the start:\n%s", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 8})
	if v := m.View(); strings.Contains(v, "›") {
		t.Errorf("breadcrumbs shown on a tiny screen:\n%s", v)
	}
}

func TestLongTextScrolls(t *testing.T) {
	m := newTestModel(t, Options{})
	press(m, "2", "1") // pec:accesso: long text
	m.Update(tea.WindowSizeMsg{Width: 50, Height: 14})
	v := m.View()
	if !strings.Contains(v, "▼ continua") || strings.Contains(v, "Ora riesco") {
		t.Fatalf("long text should not fit at 50x14:\n%s", v)
	}
	press(m, "pgdown", "pgdown", "pgdown")
	if v := m.View(); !strings.Contains(v, "Ora riesco ad accedere") {
		t.Errorf("page down does not reach the choices:\n%s", v)
	}
	press(m, "pgup", "pgup", "pgup", "pgup")
	for range 40 { // down arrows read the text line by line, then move
		press(m, "down")
	}
	if v := m.View(); !strings.Contains(v, "▸ [3] Mi serve il driver del dispositivo di firma") {
		t.Errorf("down arrows do not reach the last choice:\n%s", v)
	}
}

func TestUnsafeTextIsEscaped(t *testing.T) {
	set := loadSet(t)
	set.Node("firma", "sintomo").Text = "Testo \x1b[31mrosso\x1b[0m e {{token.label}}"
	eng := engine.New(set)
	m := newTestModel(t, Options{Engine: eng})
	press(m, "1")
	v := m.View()
	if strings.ContainsRune(v, 0x1b) {
		t.Fatalf("an escape from a flow reached the screen: %q", v)
	}
	if !strings.Contains(v, `Testo \x1b[31mrosso\x1b[0m e —`) {
		t.Errorf("escaped text or missing fact not shown:\n%s", v)
	}
}

func TestMoreThanNineChoices(t *testing.T) {
	set := loadSet(t)
	n := set.Node("firma", "sintomo")
	for i := len(n.Choices); i < 10; i++ {
		n.Choices = append(n.Choices, flow.Choice{Label: fmt.Sprintf("Scelta %d", i+1), Goto: flow.Target{Flow: "firma", Node: "risolto"}})
	}
	n.Choices[9].Goto = flow.Target{Flow: "pec", Node: "piena"}
	m := newTestModel(t, Options{Engine: engine.New(set)})
	press(m, "1")
	if v := m.View(); !strings.Contains(v, "[10] Scelta 10") || !strings.Contains(v, "[1]  Il computer") {
		t.Fatalf("the tenth choice is not numbered in line with the others:\n%s", v)
	}
	press(m, "down", "down", "down", "down", "down", "down", "down", "down", "down", "enter")
	if got := where(m); got != "pec:piena" {
		t.Errorf("the tenth choice led to %s, want pec:piena", got)
	}
}

func TestSnippet(t *testing.T) {
	set := loadSet(t)
	set.Node("pec", "piena").Text = "**Problema**: la casella è piena** e quindi il\nresto.\n- voce **uno\n- voce due"
	m := newTestModel(t, Options{Engine: engine.New(set)})
	for query, want := range map[string]string{
		"casella piena problema": "Problema: la casella è piena e quindi il…",
		"voce uno":               "voce uno",
		"installare":             "Voglio installare il driver",
	} {
		press(m, "/")
		press(m, strings.Split(query, "")...)
		if v := m.View(); !strings.Contains(v, want+"\n") {
			t.Errorf("%q: snippet %q not shown:\n%s", query, want, v)
		}
		press(m, "esc")
	}
}

// TestVisitsInTheTUI: the visits the engine holds follow the keys: Back
// reopens a visit it came back from and closes one it leaves.
func TestVisitsInTheTUI(t *testing.T) {
	m := newTestModel(t, Options{})
	open := func() int { return len(m.c.Engine.Visits()) }
	press(m, "2", "1", "3")
	if open() != 1 {
		t.Fatalf("%d visits open after the visit choice", open())
	}
	press(m, "1")
	if v := m.View(); !strings.Contains(v, "▸ [1] Torna a: «Accesso alla PEC»") || !strings.Contains(v, "↪ Alla fine di questa parte torni a") {
		t.Errorf("the end inside a visit does not offer the way back first:\n%s", v)
	}
	press(m, "enter")
	if open() != 0 || where(m) != "pec:accesso" {
		t.Fatalf("after Torna a: at %s with %d visits", where(m), open())
	}
	if v := m.View(); strings.Contains(v, "↪ Alla fine") || !strings.Contains(v, "↩ Accesso alla PEC") {
		t.Errorf("after the return the screen still says a visit is open, or the crumbs lack the return:\n%s", v)
	}
	press(m, "esc")
	if open() != 1 || where(m) != "firma:risolto" {
		t.Errorf("back across the return: at %s with %d visits", where(m), open())
	}
	press(m, "esc", "esc")
	if open() != 0 || where(m) != "pec:accesso" {
		t.Errorf("back out of the visit: at %s with %d visits", where(m), open())
	}
}
