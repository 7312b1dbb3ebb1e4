package engine

import (
	"fmt"
	"slices"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
)

// Checklist nodes: the self-check on one screen. The UI runs every check of
// the node from one probe (ChecklistNames), shows the results as they
// arrive and gives them to ChecklistDone, which records them like a check
// node's (facts, devices, the transcript). Each problem (Problems) leads to
// the node that solves it, opened as a visit that comes back to the list
// (FollowProblem), so that «Torna a» and Back return to it; Continue goes
// on to the node's next.

// EvChecklist is the log event of a checklist run (Event.Results).
const EvChecklist = "checklist"

// Problem is one problem of a checklist run: a result that needs
// attention (a warning, a failure, an error) and where it leads.
type Problem struct {
	Result check.Result
	// Target is the node that helps: the result's own node when the set
	// has it, else the one the checklist's problems give; zero when none.
	Target Ref
}

// Followable reports whether the problem leads somewhere.
func (p Problem) Followable() bool { return p.Target.Flow != "" }

// ChecklistNames returns the checks the current checklist node runs, in
// the order of its groups (nil elsewhere).
func (e *Engine) ChecklistNames() []string {
	if n := e.Current(); n != nil && n.Type == flow.Checklist {
		return n.ChecklistNames()
	}
	return nil
}

// ChecklistDone records the results of one run of the current checklist
// node: its facts (the followed device's, else the first device's), the
// devices found, and the transcript.
func (e *Engine) ChecklistDone(results []check.Result) error {
	n := e.Current()
	if n == nil || n.Type != flow.Checklist {
		return ErrNotHere
	}
	e.noteProbe(results)
	e.mergeDevice(e.factsDevice(results), results)
	cur := &e.path[len(e.path)-1]
	cur.Results = slices.Clone(results)
	e.log = append(e.log, Event{Time: e.now(), Kind: EvChecklist, Ref: cur.Ref, Title: n.Title, Results: cur.Results})
	return nil
}

// Moves counts the events of the session that may have moved the walk:
// it changes whenever the current position may have, and not when a
// checklist run is recorded (the walk stays on the list).
func (e *Engine) Moves() int {
	n := 0
	for _, ev := range e.log {
		if ev.Kind != EvChecklist {
			n++
		}
	}
	return n
}

// noteProbe keeps what a probe says about the devices: the devices of
// the walk's last token probe, whether some probe found several, and
// their serial numbers (for masking the transcript).
func (e *Engine) noteProbe(results []check.Result) {
	// Only a probe of the token checks tells which devices there are: a
	// workstation check run later (its results name no device) must not
	// make the end nodes forget them.
	if slices.ContainsFunc(results, func(r check.Result) bool { return slices.Contains(check.TokenCheckNames, r.Check) }) {
		e.devices.probe = results
	}
	devs := check.Devices(results)
	if len(devs) > 1 {
		e.devices.several = true
	}
	for _, d := range devs {
		if d.Serial != "" && !slices.Contains(e.devices.serials, d.Serial) {
			e.devices.serials = append(e.devices.serials, d.Serial)
		}
	}
}

// factsDevice is the device whose facts the walk quotes after results:
// the chosen one when it is among them, else the first.
func (e *Engine) factsDevice(results []check.Result) *check.Device {
	devs := check.Devices(results)
	if c := e.devices.chosen; c != nil {
		for _, d := range devs {
			if d.Key() == c.Key() {
				return &d
			}
		}
	}
	if len(devs) > 0 {
		return &devs[0]
	}
	return nil
}

// mergeDevice keeps the facts of results about no device in particular,
// then those of d's results (a text never mixes two devices).
func (e *Engine) mergeDevice(d *check.Device, results []check.Result) {
	for _, r := range results {
		if r.Device == nil {
			e.mergeFacts(r)
		}
	}
	for _, r := range results {
		if r.Device != nil && d != nil && r.Device.SameSlot(*d) {
			e.mergeFacts(r)
		}
	}
}

// Problems returns the problems among results of the current checklist
// node, the most urgent first, then in the order of its groups and of the
// devices.
func (e *Engine) Problems(results []check.Result) []Problem {
	n := e.Current()
	if n == nil || n.Type != flow.Checklist {
		return nil
	}
	order := n.ChecklistNames()
	var out []Problem
	for _, r := range results {
		if check.UrgencyOf(r) < check.UrgencyWarn {
			continue
		}
		out = append(out, Problem{Result: r, Target: e.problemTarget(n, r)})
	}
	slices.SortStableFunc(out, func(a, b Problem) int {
		if d := int(check.UrgencyOf(b.Result)) - int(check.UrgencyOf(a.Result)); d != 0 {
			return d
		}
		return slices.Index(order, a.Result.Check) - slices.Index(order, b.Result.Check)
	})
	return out
}

// problemTarget is where a problem of r leads from checklist n.
func (e *Engine) problemTarget(n *flow.Node, r check.Result) Ref {
	if r.Node != "" {
		if ref, err := ParseRef(e.set, r.Node); err == nil && ref.String() == r.Node {
			return ref
		}
	}
	if t, ok := n.ProblemTarget(r.Check, r.Status); ok {
		return Ref{t.Flow, t.Node}
	}
	return Ref{}
}

// TargetTitle is the title of the node p leads to (raw flow text), "" when
// it leads nowhere.
func (e *Engine) TargetTitle(p Problem) string {
	if n := e.set.Node(p.Target.Flow, p.Target.Node); n != nil {
		return n.Title
	}
	return ""
}

// FollowProblem opens, from the current checklist node, a visit to the
// node p leads to; its end offers «Torna a» the list, and Back returns to
// it. With several devices the walk follows p's device from then on, and
// the facts texts quote are that device's.
func (e *Engine) FollowProblem(p Problem) error {
	n := e.Current()
	if n == nil || n.Type != flow.Checklist {
		return ErrNotHere
	}
	to := e.set.Node(p.Target.Flow, p.Target.Node)
	if to == nil {
		return fmt.Errorf("il problema «%s» non ha una guida da seguire", p.Result.Title)
	}
	cur := &e.path[len(e.path)-1]
	if d := p.Result.Device; d != nil && len(check.Devices(cur.Results)) > 1 {
		dd := *d
		e.devices.chosen = &dd
		e.mergeDevice(&dd, cur.Results)
	}
	e.answer("problema: " + p.Result.Title)
	e.enter(Step{Ref: p.Target, Node: to, Entry: EnteredVisit, Return: cur.Ref}, EvCall)
	return nil
}

// ContinueLabel is the choice of a checklist node that goes on to its
// next node (raw flow text).
func (e *Engine) ContinueLabel() string {
	n := e.Current()
	if n == nil || n.Type != flow.Checklist {
		return ""
	}
	return fmt.Sprintf("Continua: «%s»", e.set.Node(n.Next.Flow, n.Next.Node).Title)
}

// Continue leaves the current checklist node for its next node.
func (e *Engine) Continue() error {
	n := e.Current()
	if n == nil || n.Type != flow.Checklist {
		return ErrNotHere
	}
	e.answer(e.ContinueLabel())
	e.visit(Ref{n.Next.Flow, n.Next.Node}, e.set.Node(n.Next.Flow, n.Next.Node), EvVisit)
	return nil
}

// FirstChecklist is the self-check the topics screen opens on a key: the
// first checklist node that starts a flow, else the first checklist node
// of the set; false when there is none.
func (e *Engine) FirstChecklist() (Ref, bool) {
	for _, f := range e.set.Flows {
		if n := f.Nodes[f.Start]; n != nil && n.Type == flow.Checklist {
			return Ref{f.ID, f.Start}, true
		}
	}
	for _, f := range e.set.Flows {
		for _, id := range f.NodeIDs {
			if f.Nodes[id].Type == flow.Checklist {
				return Ref{f.ID, id}, true
			}
		}
	}
	return Ref{}, false
}

// ChecklistCount sums a checklist run up: "12 controlli, 1 problema e 2
// avvisi", "6 controlli, nessun problema".
func ChecklistCount(results []check.Result) string {
	problems, warnings := 0, 0
	for _, r := range results {
		switch check.UrgencyOf(r) {
		case check.UrgencyProblem:
			problems++
		case check.UrgencyWarn:
			warnings++
		}
	}
	s := check.Plural(len(results), "controllo", "controlli") + ", "
	switch {
	case problems > 0 && warnings > 0:
		s += check.Plural(problems, "problema", "problemi") + " e " + check.Plural(warnings, "avviso", "avvisi")
	case problems > 0:
		s += check.Plural(problems, "problema", "problemi")
	case warnings > 0:
		s += check.Plural(warnings, "avviso", "avvisi")
	default:
		s += "nessun problema"
	}
	return s
}
