package engine

import (
	"fmt"

	"github.com/sportello/sportello/internal/flow"
)

// Returning visits. A visit choice (visit: in a flow) goes to another node
// and, when the visited walk ends or resumes, comes back to a return node.
// The open visits are not kept beside the path but read from it: each step
// says how it was entered (by a visit, or by the return from one), so Back,
// which shortens the path, goes back across a visit in both directions with
// nothing else to undo, and Home and Restart, which drop the path, close
// every visit.

// Entry says how a step of the path was entered.
type Entry int

// The ways into a step.
const (
	Entered       Entry = iota // start, goto, check outcome, search
	EnteredVisit               // a visit choice opened a visit here
	EnteredReturn              // back from a visit, at its return node
)

// Visit is one open visit.
type Visit struct {
	From   Ref // the node whose choice opened it
	To     Ref // the node it went to
	Return Ref // where the walk comes back
}

// Visits returns the open visits, the outermost first.
func (e *Engine) Visits() []Visit {
	var open []Visit
	for i, s := range e.path {
		switch s.Entry {
		case EnteredVisit:
			open = append(open, Visit{From: e.path[i-1].Ref, To: s.Ref, Return: s.Return})
		case EnteredReturn:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	return open
}

// Visiting returns the innermost open visit.
func (e *Engine) Visiting() (Visit, bool) {
	v := e.Visits()
	if len(v) == 0 {
		return Visit{}, false
	}
	return v[len(v)-1], true
}

// ReturnLabel is the choice that ends the innermost visit, "Torna a:
// «title of the return node»" (raw flow text: facts and escaping are the
// renderer's), or "" when no visit is open.
func (e *Engine) ReturnLabel() string {
	v, ok := e.Visiting()
	if !ok {
		return ""
	}
	return fmt.Sprintf("Torna a: «%s»", e.set.Node(v.Return.Flow, v.Return.Node).Title)
}

// Return ends the innermost visit: the walk resumes at its return node.
// It is the first choice of an end node reached inside a visit.
func (e *Engine) Return() error {
	if _, ok := e.Visiting(); !ok || len(e.path) == 0 {
		return ErrNotHere
	}
	e.resume(e.ReturnLabel())
	return nil
}

// resume records label as the answer of the current node and moves to the
// innermost visit's return node. A visit must be open.
func (e *Engine) resume(label string) {
	v, _ := e.Visiting()
	e.answer(label)
	e.enter(Step{Ref: v.Return, Node: e.set.Node(v.Return.Flow, v.Return.Node), Entry: EnteredReturn}, EvReturn)
}

// Choices returns the choices the current node offers, in order: its
// choices, without the resume choices when no visit is open. Choose takes
// an index into this list.
func (e *Engine) Choices() []flow.Choice {
	n := e.Current()
	if n == nil {
		return nil
	}
	if _, ok := e.Visiting(); ok {
		return n.Choices
	}
	out := make([]flow.Choice, 0, len(n.Choices))
	for _, c := range n.Choices {
		if !c.Resume {
			out = append(out, c)
		}
	}
	return out
}

// EndOption is one choice of an end node.
type EndOption struct {
	Label  string // raw text: the renderer fills in facts and escapes it
	Action int    // EndReturn, EndSave, EndRestart or EndHome
}

// EndOptions are the choices of an end node: inside a visit first the way
// back to the caller, then EndChoices.
func (e *Engine) EndOptions() []EndOption {
	var out []EndOption
	if l := e.ReturnLabel(); l != "" {
		out = append(out, EndOption{Label: l, Action: EndReturn})
	}
	for i, l := range EndChoices {
		out = append(out, EndOption{Label: l, Action: i})
	}
	return out
}

// EndAct does what an end node's option asks, except saving (the renderer
// saves: it knows where and says so). It reports whether the option was
// handled.
func (e *Engine) EndAct(action int) bool {
	switch action {
	case EndReturn:
		return e.Return() == nil
	case EndRestart:
		return e.Restart() == nil
	case EndHome:
		e.Home()
		return true
	}
	return false
}

// VisitNote says, inside a visit, where the walk will come back (raw flow
// text), or "" outside one.
func (e *Engine) VisitNote() string {
	v, ok := e.Visiting()
	if !ok {
		return ""
	}
	return fmt.Sprintf("↪ Alla fine di questa parte torni a «%s».", e.set.Node(v.Return.Flow, v.Return.Node).Title)
}
