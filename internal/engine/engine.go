// Package engine walks a flow set. It is UI-free: the TUI and the plain mode
// both drive it. It holds the current node, the path taken (for going back,
// across flows too), the answers given, the check results, and a session
// log from which the Markdown transcript is made.
package engine

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/flow"
)

// Ref names a node: flow:node.
type Ref struct{ Flow, Node string }

func (r Ref) String() string { return r.Flow + ":" + r.Node }

// ParseRef parses "flow" (its start node) or "flow:node" against set.
func ParseRef(set *flow.Set, s string) (Ref, error) {
	fl, nd, _ := strings.Cut(s, ":")
	f := set.Flow(fl)
	if f == nil {
		return Ref{}, fmt.Errorf("percorso «%s» inesistente", fl)
	}
	if nd == "" {
		nd = f.Start
	}
	if f.Nodes[nd] == nil {
		return Ref{}, fmt.Errorf("il percorso «%s» non ha un nodo «%s»", fl, nd)
	}
	return Ref{fl, nd}, nil
}

// Step is one node visited on the current path.
type Step struct {
	Ref    Ref
	Node   *flow.Node
	Choice string        // the label of the answer given here ("" if none yet)
	Result *check.Result // the check result, on check nodes that ran
	// Results are a checklist node's results, once its run is done.
	Results []check.Result
	Entry   Entry // how the step was entered (visit.go)
	Return  Ref   // EnteredVisit: where the visit comes back
}

// Event kinds in the session log.
const (
	EvVisit  = "visit"  // arrived at a node
	EvChoice = "choice" // answered
	EvCheck  = "check"  // a check ran
	EvBack   = "back"   // went back
	EvHome   = "home"   // left the walk for the home screen
	EvJump   = "jump"   // jumped to a search result
	EvCall   = "call"   // arrived at a node by a visit (it will come back)
	EvReturn = "return" // came back from a visit to its return node
)

// Event is one entry of the session log.
type Event struct {
	Time    time.Time
	Kind    string
	Ref     Ref
	Title   string
	Choice  string
	Result  *check.Result
	Results []check.Result // EvChecklist: every result of the run
}

// ErrNotHere is returned when an action does not fit the current node.
var ErrNotHere = errors.New("azione non possibile su questo nodo")

// Engine walks one set. The zero value is not usable: call New.
type Engine struct {
	set    *flow.Set
	path   []Step // the current walk; empty at home
	last   []Step // the walk left by the last Home, for the transcript
	log    []Event
	facts  map[string]string
	now    func() time.Time
	os     flow.OS        // whose variants the walk shows (os.go)
	office *config.Office // the office's contacts (office.go); nil: not configured

	devices deviceState // the devices of this walk (device.go)
}

// New returns an engine at the home screen (no current node), showing the
// running system's variants.
func New(set *flow.Set) *Engine {
	return &Engine{set: set, facts: map[string]string{}, now: time.Now, os: RunningOS()}
}

// SetClock replaces time.Now (tests pin the transcript's timestamps).
func (e *Engine) SetClock(now func() time.Time) { e.now = now }

// Set returns the flows the engine walks.
func (e *Engine) Set() *flow.Set { return e.set }

// AtHome reports whether no walk is in progress.
func (e *Engine) AtHome() bool { return len(e.path) == 0 }

// Current returns the current node, or nil at home.
func (e *Engine) Current() *flow.Node {
	if len(e.path) == 0 {
		return nil
	}
	return e.path[len(e.path)-1].Node
}

// CurrentRef returns the current position (zero at home).
func (e *Engine) CurrentRef() Ref {
	if len(e.path) == 0 {
		return Ref{}
	}
	return e.path[len(e.path)-1].Ref
}

// Path returns the steps of the current walk; the last one is the current
// node. The slice must not be modified.
func (e *Engine) Path() []Step { return e.path }

// Facts returns the facts reported by the checks run so far in this session
// (later checks override earlier ones).
func (e *Engine) Facts() map[string]string { return e.facts }

// Expand fills {{fact}} references in s.
func (e *Engine) Expand(s string) string { return flow.Expand(s, e.facts) }

// Start begins a new walk at ref (the previous walk stays in the log).
func (e *Engine) Start(ref Ref) error {
	n := e.set.Node(ref.Flow, ref.Node)
	if n == nil {
		return fmt.Errorf("nodo «%s» inesistente", ref)
	}
	e.path = nil
	e.devices.reset()
	e.visit(ref, n, EvVisit)
	return nil
}

// Jump moves to ref as one more step of the current walk (a search result),
// so that Back returns to where the user was.
func (e *Engine) Jump(ref Ref) error {
	n := e.set.Node(ref.Flow, ref.Node)
	if n == nil {
		return fmt.Errorf("nodo «%s» inesistente", ref)
	}
	if len(e.path) > 0 {
		e.path[len(e.path)-1].Choice = "(ricerca)"
	}
	e.visit(ref, n, EvJump)
	return nil
}

func (e *Engine) visit(ref Ref, n *flow.Node, kind string) { e.enter(Step{Ref: ref, Node: n}, kind) }

// enter adds s to the path and logs its arrival as kind (EvVisit, EvJump,
// EvCall, EvReturn).
func (e *Engine) enter(s Step, kind string) {
	e.path = append(e.path, s)
	e.log = append(e.log, Event{Time: e.now(), Kind: kind, Ref: s.Ref, Title: s.Node.Title})
}

// answer records label as the answer given at the current node.
func (e *Engine) answer(label string) {
	cur := &e.path[len(e.path)-1]
	cur.Choice = label
	e.log = append(e.log, Event{Time: e.now(), Kind: EvChoice, Ref: cur.Ref, Title: cur.Node.Title, Choice: label})
}

// Choose answers the current question or steps node with choice i (from 0)
// of Choices (the node's choices, the resume choices only inside a visit).
// A visit choice opens a visit; a resume choice ends the innermost one.
func (e *Engine) Choose(i int) error {
	n := e.Current()
	if n == nil || (n.Type != flow.Question && n.Type != flow.Steps) {
		return ErrNotHere
	}
	choices := e.Choices()
	if i < 0 || i >= len(choices) {
		return fmt.Errorf("scelta %d inesistente: le scelte sono da 1 a %d", i+1, len(choices))
	}
	c := choices[i]
	if c.Resume {
		e.resume(c.Label) // Choices offers it only inside a visit
		return nil
	}
	e.answer(c.Label)
	to := Ref{c.Goto.Flow, c.Goto.Node}
	if c.Visit {
		e.enter(Step{Ref: to, Node: e.set.Node(to.Flow, to.Node), Entry: EnteredVisit, Return: Ref{c.Return.Flow, c.Return.Node}}, EvCall)
		return nil
	}
	e.visit(to, e.set.Node(to.Flow, to.Node), EvVisit)
	return nil
}

// Outcome records the result of the current check node and follows the
// branch of its status. An unknown status follows the error branch.
func (e *Engine) Outcome(r check.Result) error {
	n := e.Current()
	if n == nil || n.Type != flow.Check {
		return ErrNotHere
	}
	if !r.Status.Valid() {
		r.Status = check.Error
	}
	e.mergeFacts(r)
	cur := &e.path[len(e.path)-1]
	res := r
	cur.Result = &res
	cur.Choice = string(r.Status)
	e.log = append(e.log, Event{Time: e.now(), Kind: EvCheck, Ref: cur.Ref, Title: n.Title, Result: &res})
	t := n.Outcomes[r.Status]
	e.visit(Ref{t.Flow, t.Node}, e.set.Node(t.Flow, t.Node), EvVisit)
	return nil
}

// Back returns to the previous node of the walk, skipping check nodes (going
// back to a check would only run it again and move forward). At the first
// node it goes home. It reports false when already at home.
func (e *Engine) Back() bool {
	if len(e.path) == 0 {
		return false
	}
	n := len(e.path) - 1
	for n > 0 && e.path[n-1].Node.Type == flow.Check {
		n--
	}
	if n == 0 {
		e.Home()
		return true
	}
	e.path = e.path[:n]
	cur := &e.path[n-1]
	cur.Choice = ""
	cur.Result, cur.Results = nil, nil
	e.log = append(e.log, Event{Time: e.now(), Kind: EvBack, Ref: cur.Ref, Title: cur.Node.Title})
	return true
}

// Home leaves the current walk and closes every visit. The log keeps it.
func (e *Engine) Home() {
	if len(e.path) == 0 {
		return
	}
	e.last = append([]Step(nil), e.path...)
	e.path = nil
	e.log = append(e.log, Event{Time: e.now(), Kind: EvHome})
}

// Restart starts the current flow (the one the walk began in) again from
// its start node, closing every visit.
func (e *Engine) Restart() error {
	if len(e.path) == 0 {
		return ErrNotHere
	}
	f := e.set.Flow(e.path[0].Ref.Flow)
	return e.Start(Ref{f.ID, f.Start})
}

// Log returns the session log. The slice must not be modified.
func (e *Engine) Log() []Event { return e.log }
