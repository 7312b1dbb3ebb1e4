package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
)

// visits returns the open visits as "from>to@return" strings.
func openVisits(e *Engine) string {
	var out []string
	for _, v := range e.Visits() {
		out = append(out, v.From.String()+">"+v.To.String()+"@"+v.Return.String())
	}
	return strings.Join(out, " ")
}

func labels(e *Engine) []string {
	var out []string
	for _, c := range e.Choices() {
		out = append(out, c.Label)
	}
	return out
}

func endLabels(e *Engine) []string {
	var out []string
	for _, o := range e.EndOptions() {
		out = append(out, o.Label)
	}
	return out
}

// TestVisitOutAndBack: a visit goes to another flow, a resume choice comes
// back to the node holding the visit; Back goes across the visit both ways.
func TestVisitOutAndBack(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "inizio"}))
	must(t, e.Choose(0))
	at(t, e, "uno:passi")
	if openVisits(e) != "" || e.ReturnLabel() != "" {
		t.Fatalf("a visit is open before any: %q", openVisits(e))
	}
	must(t, e.Choose(2)) // Chiedi un consiglio e torna qui
	at(t, e, "due:consiglio")
	if got := openVisits(e); got != "uno:passi>due:consiglio@uno:passi" {
		t.Fatalf("open visits = %q", got)
	}
	if got := strings.Join(labels(e), "|"); got != "Non basta|Torna indietro" {
		t.Errorf("choices inside the visit = %q", got)
	}
	must(t, e.Choose(1)) // resume
	at(t, e, "uno:passi")
	if openVisits(e) != "" {
		t.Errorf("the visit is still open after resume: %q", openVisits(e))
	}
	// Back into the visit, then out of it.
	e.Back()
	at(t, e, "due:consiglio")
	if got := openVisits(e); got != "uno:passi>due:consiglio@uno:passi" {
		t.Errorf("back into the visit: open visits = %q", got)
	}
	if c := e.Path()[len(e.Path())-1].Choice; c != "" {
		t.Errorf("the answer given before Back is kept: %q", c)
	}
	e.Back()
	at(t, e, "uno:passi")
	if openVisits(e) != "" {
		t.Errorf("back out of the visit: open visits = %q", openVisits(e))
	}
}

// TestVisitEndOffersReturn: an end node inside a visit offers first the way
// back to the return node; outside a visit it does not.
func TestVisitEndOffersReturn(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "passi"}))
	must(t, e.Choose(3)) // visit, return: fine
	must(t, e.Choose(0)) // Non basta → due:fine, an end
	at(t, e, "due:fine")
	want := "Torna a: «Fatto»|" + strings.Join(EndChoices, "|")
	if got := strings.Join(endLabels(e), "|"); got != want {
		t.Fatalf("end options = %q, want %q", got, want)
	}
	if e.EndOptions()[0].Action != EndReturn {
		t.Fatalf("first end option is not EndReturn: %+v", e.EndOptions()[0])
	}
	if !e.EndAct(EndReturn) {
		t.Fatal("EndAct(EndReturn) failed")
	}
	at(t, e, "uno:fine")
	if got := strings.Join(endLabels(e), "|"); got != strings.Join(EndChoices, "|") {
		t.Errorf("end options after the visit = %q", got)
	}
	if err := e.Return(); err != ErrNotHere {
		t.Errorf("Return without a visit = %v", err)
	}
	e.Back()
	at(t, e, "due:fine")
	if e.ReturnLabel() != "Torna a: «Fatto»" {
		t.Errorf("back to the visit's end: return label %q", e.ReturnLabel())
	}
	e.Home()
	if openVisits(e) != "" || !e.AtHome() {
		t.Errorf("Home keeps visits: %q", openVisits(e))
	}
}

// TestResumeHiddenOutsideVisit: the same node reached without a visit does
// not offer its resume choices, and refuses them.
func TestResumeHiddenOutsideVisit(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"due", "consiglio"}))
	if got := strings.Join(labels(e), "|"); got != "Non basta" {
		t.Errorf("choices outside a visit = %q", got)
	}
	if err := e.Choose(1); err == nil || !strings.Contains(err.Error(), "da 1 a 1") {
		t.Errorf("Choose(1) outside a visit = %v", err)
	}
	must(t, e.Choose(0))
	at(t, e, "due:fine")
	if got := len(e.EndOptions()); got != len(EndChoices) {
		t.Errorf("end outside a visit offers %d options", got)
	}
	if e.EndAct(EndReturn) {
		t.Error("EndAct(EndReturn) outside a visit succeeded")
	}
}

// TestRestartClosesVisits: Restart inside a visit starts the first flow of
// the walk again from its start, with no visit open.
func TestRestartClosesVisits(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "passi"}))
	must(t, e.Choose(2))
	must(t, e.Choose(0))
	at(t, e, "due:fine")
	if !e.EndAct(EndRestart) {
		t.Fatal("restart failed")
	}
	at(t, e, "uno:inizio")
	if openVisits(e) != "" || len(e.Path()) != 1 {
		t.Errorf("restart keeps %d steps, visits %q", len(e.Path()), openVisits(e))
	}
}

const nested = `id: a
title: Flusso A
description: apre una visita
start: x
nodes:
  x:
    type: question
    title: Nodo X
    choices:
      - label: Visita B
        visit: b:y
      - label: Fine
        goto: fine
  fine:
    type: end
    result: resolved
    title: Fine di A
`

const nestedB = `id: b
title: Flusso B
description: visitato da A, visita C
start: y
nodes:
  y:
    type: question
    title: Nodo Y
    choices:
      - label: Visita C
        visit: c:z
      - label: Torna ad A
        resume: true
      - label: Controlla
        goto: controllo
  controllo:
    type: check
    title: Controllo in B
    check: token.present
    outcomes:
      other: y
`

const nestedC = `id: c
title: Flusso C
description: visitato da B
start: z
nodes:
  z:
    type: end
    result: info
    title: Fine di C
`

// TestNestedVisits: visits stack; each end or resume closes the innermost;
// Back over a check node inside a visit skips it as usual.
func TestNestedVisits(t *testing.T) {
	set, ps := flow.Load([]flow.File{{Name: "a.yaml", Data: []byte(nested)}, {Name: "b.yaml", Data: []byte(nestedB)}, {Name: "c.yaml", Data: []byte(nestedC)}}, check.Known)
	if len(ps) > 0 {
		t.Fatal(ps.Error())
	}
	e := New(set)
	clock := time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC)
	e.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
	must(t, e.Start(Ref{"a", "x"}))
	must(t, e.Choose(0))
	must(t, e.Choose(0))
	at(t, e, "c:z")
	if got := openVisits(e); got != "a:x>b:y@a:x b:y>c:z@b:y" {
		t.Fatalf("open visits = %q", got)
	}
	if e.ReturnLabel() != "Torna a: «Nodo Y»" {
		t.Errorf("innermost return label = %q", e.ReturnLabel())
	}
	must(t, e.Return())
	at(t, e, "b:y")
	if got := openVisits(e); got != "a:x>b:y@a:x" {
		t.Fatalf("after the inner return: %q", got)
	}
	must(t, e.Choose(2)) // → check node
	must(t, e.Outcome(check.Result{Check: "token.present", Status: check.Pass}))
	at(t, e, "b:y")
	e.Back() // skips the check node: back to b:y as it was before
	at(t, e, "b:y")
	if got := openVisits(e); got != "a:x>b:y@a:x" {
		t.Fatalf("back over a check inside a visit: %q", got)
	}
	must(t, e.Choose(1)) // resume: back to A
	at(t, e, "a:x")
	if openVisits(e) != "" {
		t.Errorf("visits left open: %q", openVisits(e))
	}
	md := e.Markdown(false)
	for _, want := range []string{
		"2. **Nodo Y** (Flusso B) — visita, poi si torna a «Nodo X» — risposta: «Visita C»",
		"3. **Fine di C** (Flusso C) — visita, poi si torna a «Nodo Y» — risposta: «Torna a: «Nodo Y»»",
		"4. **Nodo Y** (Flusso B) — ritorno dalla visita — risposta: «Torna ad A»",
		"5. **Nodo X** — ritorno dalla visita",
		"visita → Flusso B › Nodo Y", "ritorno → Flusso B › Nodo Y", "ritorno → Flusso A › Nodo X",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("transcript lacks %q:\n%s", want, md)
		}
	}
}

func TestOSVariants(t *testing.T) {
	e := New(loadGood(t))
	if e.OS() != RunningOS() {
		t.Errorf("a new engine shows %q, the running system is %q", e.OS(), RunningOS())
	}
	n := e.Set().Node("uno", "passi")
	e.SetOS(flow.Windows)
	if got := e.Steps(n); len(got) != 1 || got[0] != "Apri il menu **Start**." {
		t.Errorf("windows steps = %q", got)
	}
	e.SetOS(flow.MacOS)
	if got := e.Text(n); got != "Su macOS usa il **Finder**." {
		t.Errorf("macos text = %q", got)
	}
	e.SetOS(flow.Linux)
	if got := e.Steps(n); len(got) != 2 {
		t.Errorf("linux steps = %q, want the common two", got)
	}
	e.SetOS("")
	if got := e.Text(e.Set().Node("uno", "fine")); got != "Dispositivo {{token.label}}." {
		t.Errorf("no system: text = %q", got)
	}
	for in, want := range map[string]flow.OS{"windows": flow.Windows, "MacOS": flow.MacOS, " linux ": flow.Linux} {
		if got, err := ParseOS(in); err != nil || got != want {
			t.Errorf("ParseOS(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "mac", "darwin", "win"} {
		if _, err := ParseOS(in); err == nil || !strings.Contains(err.Error(), "usa windows, macos o linux") {
			t.Errorf("ParseOS(%q) = %v", in, err)
		}
	}
	for goos, want := range map[string]flow.OS{"windows": flow.Windows, "darwin": flow.MacOS, "linux": flow.Linux, "freebsd": ""} {
		if got := OSOf(goos); got != want {
			t.Errorf("OSOf(%s) = %q", goos, got)
		}
	}
}

// TestSearchFindsVariants: the index reads every system's variant.
func TestSearchFindsVariants(t *testing.T) {
	hits := NewIndex(loadGood(t)).Search("finder", 10)
	if len(hits) != 1 || hits[0].Ref.String() != "uno:passi" {
		t.Errorf("Search(finder) = %+v", hits)
	}
}
