package engine

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
)

// The checklist fixture: tre:controlli lists token.module, token.present
// and token.pin; problems of results that name no node go to tre:aiuto
// (module, present fail, pin warn), tre:assistenza, tre:fine; next is
// tre:fine.
func loadChecklist(t *testing.T) *Engine {
	t.Helper()
	set, err := flow.LoadPaths([]string{"../../testdata/flows/checklist"}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	e := New(set)
	must(t, e.Start(Ref{"tre", "controlli"}))
	return e
}

func TestChecklistProblemsAndVisits(t *testing.T) {
	e := loadChecklist(t)
	if got := strings.Join(e.ChecklistNames(), " "); got != "token.module token.present token.pin" {
		t.Fatalf("ChecklistNames = %s", got)
	}
	if ref, ok := e.FirstChecklist(); !ok || ref.String() != "tre:controlli" {
		t.Errorf("FirstChecklist = %v %v", ref, ok)
	}
	d := check.Device{Module: "/m.so", Slot: 1, Serial: "S1", Label: "Firma"}
	results := []check.Result{
		{Check: check.TokenModule, Status: check.Pass, Title: "Driver caricato", Facts: map[string]string{check.FactModulePath: "/m.so"}},
		{Check: check.TokenPresent, Status: check.Pass, Title: "Presente", Device: &d, Facts: map[string]string{check.FactTokenLabel: "Firma"}},
		{Check: check.TokenPIN, Status: check.Warn, Title: "PIN errato", Device: &d, Facts: map[string]string{check.FactPINState: "tentativi errati"}},
		// A node this set lacks: the checklist's problems take over.
		{Check: check.TokenPIN, Status: check.Fail, Title: "PIN bloccato", Node: check.NodePINLocked, Device: &d},
	}
	must(t, e.ChecklistDone(results))
	if e.Facts()[check.FactTokenLabel] != "Firma" || e.Facts()[check.FactPINState] != "tentativi errati" {
		t.Errorf("facts %v", e.Facts())
	}
	ps := e.Problems(results)
	if len(ps) != 2 || ps[0].Result.Title != "PIN bloccato" || ps[0].Target.String() != "tre:fine" ||
		ps[1].Target.String() != "tre:aiuto" || !ps[1].Followable() {
		t.Fatalf("problems %+v", ps)
	}
	must(t, e.FollowProblem(ps[1]))
	at(t, e, "tre:aiuto")
	if v, ok := e.Visiting(); !ok || v.Return.String() != "tre:controlli" {
		t.Fatalf("visit %+v %v", v, ok)
	}
	// The resume choice comes back to the list.
	cs := e.Choices()
	if len(cs) != 1 || !cs[0].Resume {
		t.Fatalf("choices %+v", cs)
	}
	must(t, e.Choose(0))
	at(t, e, "tre:controlli")
	if _, ok := e.Visiting(); ok {
		t.Error("the visit is still open at the list")
	}
	// Back goes into the visit again, and Back again to the list.
	e.Back()
	at(t, e, "tre:aiuto")
	e.Back()
	at(t, e, "tre:controlli")
	if e.Path()[len(e.Path())-1].Results != nil {
		t.Error("going back kept the old run's results")
	}
	// An end inside the visit offers «Torna a» the list first.
	must(t, e.ChecklistDone(results))
	must(t, e.FollowProblem(e.Problems(results)[0]))
	at(t, e, "tre:fine")
	if o := e.EndOptions(); o[0].Action != EndReturn || o[0].Label != "Torna a: «Controlli»" {
		t.Errorf("end options %+v", o)
	}
	e.EndAct(EndReturn)
	at(t, e, "tre:controlli")
	if e.ContinueLabel() != "Continua: «Fine»" {
		t.Errorf("continue label %q", e.ContinueLabel())
	}
	must(t, e.ChecklistDone(results))
	must(t, e.Continue())
	at(t, e, "tre:fine")
	if _, ok := e.Visiting(); ok {
		t.Error("continue opened a visit")
	}
	md := e.Markdown(false)
	for _, want := range []string{"elenco dei controlli: 4 controlli, 1 problema e 1 avviso", "risposta «problema: PIN errato»",
		"visita → Autodiagnosi (prova) › Aiuto", "- `token.pin` — **problema**: PIN bloccato"} {
		if !strings.Contains(md, want) {
			t.Errorf("transcript lacks %q:\n%s", want, md)
		}
	}
}

// With several devices, following a problem follows its device: the
// facts become that device's, and the device is chosen for later nodes.
func TestChecklistFollowsTheProblemsDevice(t *testing.T) {
	e := loadChecklist(t)
	results := twoDevices()
	must(t, e.ChecklistDone(results))
	if e.Facts()[check.FactTokenLabel] != "Vecchia" || e.Device() != nil {
		t.Fatalf("before choosing: facts of %q, device %+v (want the first device's facts, none chosen)", e.Facts()[check.FactTokenLabel], e.Device())
	}
	ps := e.Problems(results)
	if len(ps) != 1 || ps[0].Result.Device.Label != "Vecchia" {
		t.Fatalf("problems %+v", ps)
	}
	// Make the new device's result the problem to follow.
	results[4].Status = check.Warn
	ps = e.Problems(results)
	must(t, e.FollowProblem(ps[1]))
	if d := e.Device(); d == nil || d.Label != "Nuova" || e.Facts()[check.FactTokenLabel] != "Nuova" || e.Facts()[check.FactCertStatus] != "valido" {
		t.Errorf("after following Nuova's problem: device %+v, facts %v", d, e.Facts())
	}
	if lines := e.DevicesLines(); len(lines) != 2 {
		t.Errorf("devices lines %q", lines)
	}
}

func TestChecklistCount(t *testing.T) {
	for _, c := range []struct {
		rs   []check.Result
		want string
	}{
		{nil, "0 controlli, nessun problema"},
		{[]check.Result{{Status: check.Pass}}, "1 controllo, nessun problema"},
		{[]check.Result{{Status: check.Warn}, {Status: check.Warn, Urgent: true}, {Status: check.Error}}, "3 controlli, 2 problemi e 1 avviso"},
	} {
		if got := ChecklistCount(c.rs); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}
