package main

// Walk tests of the shipped flows (issue 5): for every end node of every
// flow, a sequence of answers is generated from the flow graph, under a
// token scenario made with SoftHSM2 (and the fault proxy for the states
// SoftHSM2 cannot show), and the real binary walks it in plain mode. The
// check nodes are not steered: they run the real probe, and the walk must
// follow what the probe finds.

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/markup"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/tokentest"
	"github.com/sportello/sportello/internal/vpcdtest"
)

// scenario is one state of the machine: the environment and flags that
// make the binary see it.
type scenario struct {
	name string
	env  []string
	args []string // extra flags (--timeout)
	// follow is the label of the device to choose when several are
	// present (the walk answers "Quale dispositivo stai usando?").
	follow string
}

// outcomes is what the six checks find in a scenario, read from
// `sportello diagnose --format json`: for the followed device when there
// are several.
type outcomes struct {
	status    map[string]check.Status
	facts     map[string]string
	devices   int             // devices judged
	choice    int             // the followed device's number in the question (from 1)
	perDevice map[string]bool // checks answered per device
	results   []check.Result  // every result, for the self-check's list
	follow    string          // the followed device's label, when several
	office    bool            // the self-check offers to save the report for the office
}

func embeddedSet(t *testing.T) *flow.Set {
	t.Helper()
	set, err := flow.LoadFS(flows.FS, "flows", check.Known)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// scenarios builds the token states of the walk tests.
func scenarios(t *testing.T) []scenario {
	t.Helper()
	valid := map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(500)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(500)},
	}
	fault := tokentest.FaultModule(t)
	hsm := func(certs map[string]tokentest.CertSpec) *tokentest.HSM { return newToken(t, certs) }
	direct := func(h *tokentest.HSM, extra ...string) []string {
		return append([]string{"SOFTHSM2_CONF=" + h.Conf, "SPORTELLO_PKCS11_MODULE=" + h.Module}, extra...)
	}
	proxied := func(h *tokentest.HSM, extra ...string) []string {
		return append([]string{"SOFTHSM2_CONF=" + h.Conf, "SPORTELLO_PKCS11_MODULE=" + fault, "FAULT_REAL_MODULE=" + h.Module}, extra...)
	}
	// No office configuration: the escalation nodes must say whom to ask
	// without one (a configuration of the machine would be found first).
	noOffice := "XDG_CONFIG_HOME=" + t.TempDir()
	good := hsm(valid)
	expiredBoth := map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotBefore: inDays(-800), NotAfter: inDays(-40)},
		"cns":   {Kind: tokentest.CNS, NotBefore: inDays(-800), NotAfter: inDays(-40)},
	}
	pair := newTokens(t, device{"Nuova", valid}, device{"Vecchia", expiredBoth})
	locked := newTokens(t, device{"Firma", valid}, device{"Bloccata", valid})
	countLow := hsm(valid)
	countLow.WrongLogin(t, "Firma Test", 1) // CKU_USER: SoftHSM2 sets USER_PIN_COUNT_LOW
	all := []scenario{
		{name: "dispositivo valido", env: direct(good)},
		{name: "certificato in scadenza", env: direct(hsm(map[string]tokentest.CertSpec{
			"firma": {Kind: tokentest.Signature, NotAfter: inDays(12)},
			"cns":   {Kind: tokentest.CNS, NotAfter: inDays(12)},
		}))},
		{name: "certificati scaduti", env: direct(hsm(map[string]tokentest.CertSpec{
			"firma": {Kind: tokentest.Signature, NotBefore: inDays(-800), NotAfter: inDays(-5)},
			"cns":   {Kind: tokentest.CNS, NotBefore: inDays(-800), NotAfter: inDays(-5)},
		}))},
		{name: "nessun certificato", env: direct(hsm(nil))},
		{name: "certificato non ancora valido", env: direct(hsm(map[string]tokentest.CertSpec{
			"firma": {Kind: tokentest.Signature, NotBefore: inDays(5), NotAfter: inDays(700)},
		}))},
		{name: "PIN errato una volta", env: direct(countLow)},
		{name: "PIN all'ultimo tentativo", env: proxied(good, "FAULT_OR_FLAGS=0x20000")},
		{name: "PIN bloccato", env: proxied(good, "FAULT_OR_FLAGS=0x40000")},
		{name: "PIN e PUK bloccati", env: proxied(good, "FAULT_OR_FLAGS=0x440000")},
		{name: "PUK bloccato", env: proxied(good, "FAULT_OR_FLAGS=0x400000")},
		{name: "nessun dispositivo", env: proxied(good, "FAULT_NO_SLOTS=1")},
		{name: "errore del dispositivo", env: proxied(good, "FAULT_RV=C_GetTokenInfo=0x30")},
		{name: "driver mancante", env: []string{"SPORTELLO_PKCS11_MODULE=/nessuno/libmanca.so"}},
		{name: "driver bloccato", env: proxied(good, "FAULT_HANG=C_Initialize"), args: []string{"--timeout", "1s"}},
		{name: "due dispositivi, segue quello scaduto", env: direct(pair), follow: "Vecchia"},
		{name: "due dispositivi, segue quello valido", env: direct(pair), follow: "Nuova"},
		{name: "due dispositivi, segue quello col PIN bloccato", env: proxied(locked, "FAULT_ONLY_LABEL=Bloccata", "FAULT_OR_FLAGS=0x40000"), follow: "Bloccata"},
		// The triage of a device not read, with a real pcscd of the test's
		// own (every other scenario has no smart-card service at all).
		{name: "nessun lettore", env: proxied(good, "FAULT_NO_SLOTS=1", vpcdtest.Start(t, vpcdtest.Options{}).Env())},
		{name: "lettore vuoto", env: proxied(good, "FAULT_NO_SLOTS=1", vpcdtest.Start(t, vpcdtest.Options{Readers: true}).Env())},
		{name: "carta non riconosciuta", env: proxied(good, "FAULT_NO_SLOTS=1", withCard(t, cnsATR).Env())},
	}
	for i := range all {
		all[i].env = append(all[i].env, noOffice)
	}
	return all
}

// cnsATR is an Italian CNS (Incard) as pcsc-tools' list has it.
const cnsATR = "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D"

// withCard is a private pcscd whose first virtual reader holds a card.
func withCard(t testing.TB, atr string) *vpcdtest.Daemon {
	t.Helper()
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true})
	d.Card(0).Insert(t, atrBytes(t, atr))
	return d
}

// diagnose reads what the checks find in sc.
func diagnose(t *testing.T, sc scenario) outcomes {
	t.Helper()
	r := sportello(t, sc.env, append([]string{"diagnose", "--format", "json"}, sc.args...)...)
	var rep struct {
		Checks []check.Result `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%s: diagnose JSON: %v\n%s", sc.name, err, r.stdout)
	}
	o := outcomesOf(t, sc.name, rep.Checks, sc.follow)
	o.office = true // the real runner keeps its report
	return o
}

// outcomesOf is what the checks found, read from their results: for the
// device labelled follow when there are several.
func outcomesOf(t *testing.T, name string, checks []check.Result, follow string) outcomes {
	t.Helper()
	o := outcomes{status: map[string]check.Status{}, facts: map[string]string{}, perDevice: map[string]bool{}, results: checks, follow: follow}
	devs := check.Devices(checks)
	o.devices = len(devs)
	key := ""
	if len(devs) > 1 {
		for i, d := range devs {
			if d.Label == follow {
				o.choice, key = i+1, d.Key()
			}
		}
		if key == "" {
			t.Fatalf("%s: no device %q among %+v", name, follow, devs)
		}
	}
	for _, c := range checks {
		if c.Device != nil {
			o.perDevice[c.Check] = true
			if key != "" && c.Device.Key() != key {
				continue
			}
		}
		o.status[c.Check] = c.Status
		for k, v := range c.Facts {
			o.facts[k] = v
		}
	}
	return o
}

// asks reports whether a walk arriving at the check node n is asked which
// device: several devices, n's check answers per device, and no device
// chosen yet on the way (by an earlier question, or by following a
// device's problem from the self-check).
func (o outcomes) asks(chosen bool, n *flow.Node) bool {
	return o.devices > 1 && o.perDevice[n.Check] && !chosen
}

// problems are the problems the self-check's menu offers at checklist n,
// in its order (the engine's ranking, as the plain mode numbers them):
// the results of n's checks as check.Run gives them (an Error for a check
// without one), those that lead somewhere.
func (o outcomes) problems(set *flow.Set, n *flow.Node) []engine.Problem {
	var rs []check.Result
	for _, name := range n.ChecklistNames() {
		got := check.Of(o.results, name)
		if len(got) == 0 {
			got = []check.Result{{Check: name, Status: check.Error, Title: "Controllo non eseguito: " + name}}
		}
		rs = append(rs, got...)
	}
	e := engine.New(set)
	_ = e.Start(engine.Ref{Flow: n.Flow, Node: n.ID})
	var out []engine.Problem
	for _, p := range e.Problems(rs) {
		if p.Followable() {
			out = append(out, p)
		}
	}
	return out
}

// step is one node on a planned walk and the line typed there ("" for
// none: a check that moves on by itself).
type step struct {
	node   *flow.Node
	input  string
	typed  bool
	asked  bool   // the device question was answered here
	branch string // a self-check's problem followed here
}

// callSite is one visit choice: the node holding it and its index; for a
// checklist node, i is -1 minus the index of the problem followed (the
// visit comes back to the list).
type callSite struct {
	node *flow.Node
	i    int
}

func (c callSite) String() string {
	if c.i < 0 {
		return fmt.Sprintf("%s:%s problem %d", c.node.Flow, c.node.ID, -c.i)
	}
	return fmt.Sprintf("%s:%s choice %d (%s)", c.node.Flow, c.node.ID, c.i+1, c.node.Choices[c.i].Label)
}

// returnNode is where the visit of c comes back.
func (c callSite) returnNode(set *flow.Set) *flow.Node {
	if c.i < 0 {
		return c.node
	}
	r := c.node.Choices[c.i].Return
	return set.Node(r.Flow, r.Node)
}

// maxVisits bounds the open visits a plan explores (visits may recurse).
const maxVisits = 3

// walkState is where a planned walk stands: a node and the open visits,
// innermost last.
type walkState struct {
	node   *flow.Node
	calls  string // the open visits' call sites, as indexes into plan.sites
	chosen bool   // a device is chosen (several devices)
}

// walkPlan holds the shortest walks found from a start.
type walkPlan struct {
	ends    map[*flow.Node][]step // to each node reachable (shortest, any open visits)
	returns map[callSite][]step   // to the return node of each visit that comes back
}

// plan finds, for every node reachable from start under o, the shortest
// walk to it: answers at questions and steps, nothing at checks, and an
// empty line to stop waiting at a wait node whose check fails. It follows
// visits as the engine does: a visit choice opens one, an end node inside
// a visit comes back with its first choice (Torna a), a resume choice
// comes back at once and is offered only inside a visit (so the numbers
// typed depend on the open visits). For each visit that comes back it
// also keeps the shortest walk that does.
func plan(set *flow.Set, start *flow.Node, o outcomes) walkPlan {
	var sites []callSite
	siteID := map[callSite]int{}
	id := func(c callSite) string {
		if _, ok := siteID[c]; !ok {
			siteID[c] = len(sites)
			sites = append(sites, c)
		}
		return string(rune('A' + siteID[c])) // one character per open visit
	}
	wp := walkPlan{ends: map[*flow.Node][]step{}, returns: map[callSite][]step{}}
	first := walkState{node: start}
	paths := map[walkState][]step{first: nil}
	queue := []walkState{first}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		n := cur.node
		if _, ok := wp.ends[n]; !ok {
			wp.ends[n] = paths[cur]
		}
		next := func(to walkState, s step) []step {
			if _, seen := paths[to]; seen {
				return nil
			}
			p := append(append([]step(nil), paths[cur]...), s)
			paths[to] = p
			queue = append(queue, to)
			return p
		}
		// back pops the innermost visit and records the walk that came back.
		back := func(s step) {
			top := sites[rune(cur.calls[len(cur.calls)-1])-'A']
			to := walkState{node: top.returnNode(set), calls: cur.calls[:len(cur.calls)-1], chosen: cur.chosen}
			p := next(to, s)
			if p == nil {
				p = append(append([]step(nil), paths[cur]...), s)
			}
			if _, ok := wp.returns[top]; !ok {
				wp.returns[top] = p
			}
		}
		switch n.Type {
		case flow.Question, flow.Steps:
			shown := 0
			for i, c := range n.Choices {
				if c.Resume && cur.calls == "" {
					continue // hidden outside a visit
				}
				shown++
				s := step{node: n, input: fmt.Sprint(shown), typed: true}
				switch {
				case c.Resume:
					back(s)
				case c.Visit:
					if len(cur.calls) < maxVisits {
						next(walkState{node: set.Node(c.Goto.Flow, c.Goto.Node), calls: cur.calls + id(callSite{n, i}), chosen: cur.chosen}, s)
					}
				default:
					next(walkState{node: set.Node(c.Goto.Flow, c.Goto.Node), calls: cur.calls, chosen: cur.chosen}, s)
				}
			}
		case flow.Checklist:
			// The menu: the problems to follow, then «Salva il rapporto
			// per l'ufficio» (the real runner keeps its report; not on a
			// report), then «Continua». A problem of another device than the one the
			// scenario follows is not walked: following it would follow
			// that device.
			ps := o.problems(set, n)
			for k, p := range ps {
				d := p.Result.Device
				if o.devices > 1 && d != nil && d.Label != o.follow {
					continue
				}
				if len(cur.calls) >= maxVisits {
					break
				}
				s := step{node: n, input: fmt.Sprint(k + 1), typed: true, branch: p.Target.String() + " " + p.Result.Check}
				chosen := cur.chosen || o.devices > 1 && d != nil
				next(walkState{node: set.Node(p.Target.Flow, p.Target.Node), calls: cur.calls + id(callSite{n, -1 - k}), chosen: chosen}, s)
			}
			cont := len(ps) + 1
			if o.office {
				cont++
			}
			next(walkState{node: set.Node(n.Next.Flow, n.Next.Node), calls: cur.calls, chosen: cur.chosen},
				step{node: n, input: fmt.Sprint(cont), typed: true})
		case flow.Check:
			st := o.status[n.Check]
			s := step{node: n}
			var lines []string
			chosen := cur.chosen
			if o.asks(cur.chosen, n) {
				lines = append(lines, fmt.Sprint(o.choice)) // the device question
				s.asked, chosen = true, true
			}
			if n.Wait && st == check.Fail {
				lines = append(lines, "") // stop waiting
			}
			if len(lines) > 0 {
				s.typed, s.input = true, strings.Join(lines, "\n")
			}
			t := n.Outcomes[st]
			next(walkState{node: set.Node(t.Flow, t.Node), calls: cur.calls, chosen: chosen}, s)
		case flow.End:
			if cur.calls != "" {
				back(step{node: n, input: "1", typed: true}) // Torna a: «…»
			}
		}
	}
	return wp
}

// shown is how the plain dialogue prints a node's title.
func shown(title string, facts map[string]string) string {
	return markup.Inline(textsafe.Text(flow.Expand(title, facts)), markup.Plain)
}

// expected are the outcomes the scenarios must produce, written by hand:
// the walks below follow the probe, so this pins the probe to the states.
var expected = map[string]map[string]check.Status{
	"dispositivo valido":            {"token.module": check.Pass, "token.present": check.Pass, "token.pin": check.Pass, "token.certificate": check.Pass, "token.cns": check.Pass},
	"certificato in scadenza":       {"token.certificate": check.Warn, "token.cns": check.Warn},
	"certificati scaduti":           {"token.certificate": check.Fail, "token.cns": check.Fail},
	"nessun certificato":            {"token.certificate": check.Fail, "token.cns": check.Skip},
	"certificato non ancora valido": {"token.certificate": check.Fail},
	"PIN errato una volta":          {"token.pin": check.Warn},
	"PIN all'ultimo tentativo":      {"token.pin": check.Warn},
	"PIN bloccato":                  {"token.pin": check.Fail, "token.puk": check.Pass},
	"PIN e PUK bloccati":            {"token.pin": check.Fail, "token.puk": check.Fail},
	"PUK bloccato":                  {"token.pin": check.Pass, "token.puk": check.Warn},
	"nessun dispositivo":            {"token.module": check.Pass, "token.present": check.Fail, "token.pin": check.Skip},
	"errore del dispositivo":        {"token.present": check.Error},
	"driver mancante":               {"token.module": check.Error, "token.present": check.Skip},
	"driver bloccato":               {"token.module": check.Error},
	"due dispositivi, segue quello scaduto": {"token.module": check.Pass, "token.present": check.Pass, "token.pin": check.Pass,
		"token.certificate": check.Fail, "token.cns": check.Fail},
	"due dispositivi, segue quello valido": {"token.module": check.Pass, "token.present": check.Pass, "token.pin": check.Pass,
		"token.certificate": check.Pass, "token.cns": check.Pass},
	"due dispositivi, segue quello col PIN bloccato": {"token.pin": check.Fail, "token.puk": check.Pass, "token.certificate": check.Pass},
	"nessun lettore":         {"token.present": check.Fail, "workstation.pcsc": check.Skip},
	"lettore vuoto":          {"token.present": check.Fail, "workstation.pcsc": check.Warn},
	"carta non riconosciuta": {"token.present": check.Fail, "workstation.pcsc": check.Pass},
}

// TestWalks walks, in every scenario, each end node whose path goes
// through a check branch other than pass not yet walked in that scenario
// (so every state is seen to steer the flows), and overall every end node
// of every flow at least once.
func TestWalks(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the shipped flows with the real probe")
	}
	set := embeddedSet(t)
	ends := map[*flow.Node]bool{}
	for _, f := range set.Flows {
		for _, n := range f.Nodes {
			if n.Type == flow.End {
				ends[n] = false
			}
		}
	}
	// Every visit choice of the shipped flows, to be seen coming back.
	returned := map[callSite]bool{}
	for _, f := range set.Flows {
		for _, n := range f.Nodes {
			for i, c := range n.Choices {
				if c.Visit {
					returned[callSite{n, i}] = false
				}
			}
		}
	}
	walks := 0
	for _, sc := range scenarios(t) {
		o := diagnose(t, sc)
		want, ok := expected[sc.name]
		if !ok {
			t.Fatalf("scenario %q has no expected outcomes", sc.name)
		}
		for name, st := range want {
			if o.status[name] != st {
				t.Errorf("%s: %s = %s, want %s", sc.name, name, o.status[name], st)
			}
		}
		if (o.devices > 1) != (sc.follow != "") {
			t.Errorf("%s: %d devices judged", sc.name, o.devices)
		}
		noHoles(t, sc.name, set, o.facts)
		walks += walkScenario(t, set, sc, o, ends, returned, map[string]bool{})
	}
	var missing []string
	for n, reached := range ends {
		if !reached {
			missing = append(missing, n.Flow+":"+n.ID)
		}
	}
	if len(missing) > 0 {
		t.Errorf("end nodes no scenario reaches: %v", missing)
	}
	var never []string
	for site, ok := range returned {
		if !ok {
			never = append(never, site.String())
		}
	}
	if len(never) > 0 {
		t.Errorf("visits no scenario comes back from: %v", never)
	}
	t.Logf("%d end nodes of %d reached, %d visits of %d come back, in %d walks",
		len(ends)-len(missing), len(ends), len(returned)-len(never), len(returned), walks)
}

// walkScenario walks, in scenario sc whose checks found o, each end node
// whose path goes through a check branch (or a self-check problem) not yet
// walked (branches: in sc, or over several), every end node not yet reached (ends), and a way back from
// every visit not yet seen coming back (returned); it marks what it walked
// and returns how many walks it made.
func walkScenario(t *testing.T, set *flow.Set, sc scenario, o outcomes, ends map[*flow.Node]bool, returned map[callSite]bool, branches map[string]bool) int {
	t.Helper()
	walks := 0
	for _, f := range set.Flows {
		wp := plan(set, f.Nodes[f.Start], o)
		for site, path := range wp.returns {
			if returned[site] {
				continue
			}
			walk(t, sc, o, f, site.returnNode(set), path)
			returned[site] = true
			walks++
		}
		for _, id := range f.NodeIDs {
			end := f.Nodes[id]
			path, ok := wp.ends[end]
			if end.Type != flow.End || !ok {
				continue
			}
			// With several devices the self-check's summary is always
			// walked: it must speak of every device.
			summary := sc.follow != "" && f.ID == "autodiagnosi" && end.ID == "riepilogo"
			fresh := !ends[end] || summary && !branches["riepilogo"]
			if summary {
				branches["riepilogo"] = true
			}
			for _, s := range path {
				key := ""
				switch {
				case s.node.Type == flow.Check && o.status[s.node.Check] != check.Pass:
					key = s.node.Flow + ":" + s.node.ID + "=" + string(o.status[s.node.Check])
				case s.branch != "": // a problem of the self-check followed
					key = s.node.Flow + ":" + s.node.ID + ">" + s.branch
				}
				if key != "" {
					fresh = fresh || !branches[key]
					branches[key] = true
				}
			}
			if !fresh {
				continue
			}
			walk(t, sc, o, f, end, path)
			ends[end] = true
			walks++
		}
	}
	return walks
}

// walk runs the binary along path and checks that it visits every planned
// node, in order, and stops at end (an end node, or the return node of a
// visit: there the answers run out).
func walk(t *testing.T, sc scenario, o outcomes, f *flow.Flow, end *flow.Node, path []step) {
	t.Helper()
	var in strings.Builder
	for _, s := range path {
		if s.typed {
			in.WriteString(s.input + "\n")
		}
	}
	args := append([]string{"run", f.ID, "--plain"}, sc.args...)
	cmd := exec.Command(tokentest.Sportello(t), args...)
	cmd.Env = append(cmd.Environ(), sc.env...)
	cmd.Stdin = strings.NewReader(in.String())
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	name := fmt.Sprintf("%s: %s → %s:%s (answers %q)", sc.name, f.ID, end.Flow, end.ID, in.String())
	if err != nil {
		t.Errorf("%s: %v\n%s", name, err, errb.String())
		return
	}
	got := out.String()
	pos := 0
	for _, s := range append(path, step{node: end}) {
		title := shown(s.node.Title, o.facts)
		i := strings.Index(got[pos:], "\n"+title+"\n")
		if i < 0 {
			t.Errorf("%s: node %s:%s (%q) not shown after offset %d:\n%s", name, s.node.Flow, s.node.ID, title, pos, got)
			return
		}
		pos += i + 1
	}
	if (end.Type == flow.End && !strings.Contains(got, "Esito: ")) || strings.ContainsRune(got, 0x1b) {
		t.Errorf("%s: no outcome, or an escape byte:\n%s", name, got)
	}
	asked := false
	for _, s := range path {
		asked = asked || s.asked
	}
	if asked {
		// The question lists every device; the end node lists them again.
		if !strings.Contains(got, "Quale dispositivo stai usando?") || !strings.Contains(got, fmt.Sprintf("Dispositivi trovati (%d):", o.devices)) ||
			!strings.Contains(got, "Dispositivo scelto: «"+sc.follow+"»") {
			t.Errorf("%s: no device question, choice or list of devices:\n%s", name, got)
		}
	} else if strings.Contains(got, "Quale dispositivo stai usando?") {
		t.Errorf("%s: asked which device with %d:\n%s", name, o.devices, got)
	}
	if engine.ShowsContacts(end) && !strings.Contains(got[pos:], "Come contattare l'ufficio:\n  "+engine.NoContacts+"\n") {
		t.Errorf("%s: the escalation does not say whom to ask:\n%s", name, got[pos:])
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("%s: took %v", name, d)
	}
}

// holes are what a missing or blank fact leaves in a text: empty quotes or
// brackets, a dangling comma.
var holes = regexp.MustCompile(`«\s*»|\(\s*\)|,\s*,|,\s*\)|\(\s*,|:\s*,|\s,`)

// noHoles expands every text of every flow with facts (what the checks
// report in a state) and fails on a hole: every fact a flow text can quote
// is either there or «—».
func noHoles(t *testing.T, state string, set *flow.Set, facts map[string]string) {
	t.Helper()
	for _, f := range set.Flows {
		for _, id := range f.NodeIDs {
			n := f.Nodes[id]
			texts := append([]string{n.Title, n.Text}, n.Steps...)
			for _, v := range n.OS {
				texts = append(append(texts, v.Text), v.Steps...)
			}
			for _, c := range n.Choices {
				texts = append(texts, c.Label)
			}
			for _, s := range texts {
				if got := flow.Expand(s, facts); strings.Contains(s, "{{") && holes.MatchString(got) {
					t.Errorf("%s: %s:%s has a hole: %q", state, f.ID, id, holes.FindString(got))
				}
			}
		}
	}
}

// TestPlanFollowsVisits: the walk generator on the fixture set, where
// pec:accesso visits firma:driver: it reaches the end nodes inside the
// visit, comes back from it (by the resume choice, the shortest way), and
// the real binary walks what it planned, the return included.
func TestPlanFollowsVisits(t *testing.T) {
	set, err := flow.LoadPaths([]string{fixtures}, check.Known)
	if err != nil {
		t.Fatal(err)
	}
	sc := scenario{name: "fixtures, no driver", env: []string{"SPORTELLO_PKCS11_MODULE=/nessuno/libmanca.so", "XDG_CONFIG_HOME=" + t.TempDir()},
		args: []string{"--flows", fixtures, "--os", "linux"}}
	o := outcomes{status: map[string]check.Status{"token.present": check.Skip}}
	inputs := func(path []step) string {
		var in []string
		for _, s := range path {
			if s.typed {
				in = append(in, s.input)
			}
		}
		return strings.Join(in, ",")
	}
	f := set.Flow("pec")
	wp := plan(set, f.Nodes[f.Start], o)
	accesso := set.Node("pec", "accesso")
	site := callSite{accesso, 2}
	back, ok := wp.returns[site]
	if !ok || inputs(back) != "1,3,3" {
		t.Fatalf("return from %s: planned %q (found %v), want 1,3,3", site, inputs(back), ok)
	}
	if got := inputs(wp.ends[set.Node("firma", "risolto")]); got != "1,3,1" {
		t.Errorf("firma:risolto inside the visit: planned %q, want 1,3,1", got)
	}
	if len(wp.returns) != 1 {
		t.Errorf("%d visits come back, want 1", len(wp.returns))
	}
	walk(t, sc, o, f, accesso, back)
	walk(t, sc, o, f, set.Node("firma", "risolto"), wp.ends[set.Node("firma", "risolto")])
	// Outside a visit the resume choice is not offered: from firma's start
	// the driver node has two choices, and nothing comes back.
	g := set.Flow("firma")
	wp = plan(set, g.Nodes[g.Start], o)
	if len(wp.returns) != 1 { // firma → pec:inizio → accesso visits firma:driver
		t.Errorf("from firma: %d visits come back, want 1", len(wp.returns))
	}
	if got := inputs(wp.ends[set.Node("firma", "risolto")]); got != "2,1" {
		t.Errorf("firma:risolto from firma: planned %q, want 2,1", got)
	}
}
