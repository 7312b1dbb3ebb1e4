// Package flow owns the decision-tree format: the types a YAML flow file
// decodes into, the loader that reads a set of files with exact positions,
// and the validator that reports every problem as file:line:col. It knows
// nothing about terminals; the engine package walks what this package loads.
package flow

import (
	"fmt"
	"sort"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/textsafe"
)

// NodeType says how a node behaves.
type NodeType string

// The five node types.
const (
	Question  NodeType = "question"  // a question with choices
	Steps     NodeType = "steps"     // numbered instructions, then choices
	Check     NodeType = "check"     // runs a diagnostic and branches on its outcome
	Checklist NodeType = "checklist" // runs many checks at once and lists them by group; each problem leads to its guide
	End       NodeType = "end"       // a resolution, an escalation or information
)

// Result is the kind of an end node.
type Result string

// The three end results.
const (
	Resolved Result = "resolved" // the problem is solved
	Escalate Result = "escalate" // hand over to a person, with what to prepare
	Info     Result = "info"     // information given, nothing to solve
)

// OutcomeOther is the outcomes key that catches every status not listed.
const OutcomeOther = "other"

// Pos is a position in a flow file. Line and Col start at 1.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Flow is one topic: a decision tree with a start node.
type Flow struct {
	ID          string
	Title       string
	Description string
	Order       int
	Start       string
	Nodes       map[string]*Node
	NodeIDs     []string // node ids in file order
	Pos         Pos      // position of the flow's id

	// broken is set when the file had problems of its own. The validator
	// then skips the reachability and trap checks through this flow, which
	// would only repeat those problems in other words.
	broken bool
}

// Node is one screen of a flow.
type Node struct {
	ID       string
	Flow     string // id of the flow that holds it
	Type     NodeType
	Title    string
	Text     string
	Source   []string
	Steps    []string
	Choices  []Choice
	Check    string                  // check nodes: registry name
	Outcomes map[check.Status]Target // check nodes: every status, "other" expanded
	Wait     bool                    // check nodes: re-run until the outcome is not fail
	Result   Result                  // end nodes
	Contacts bool                    // end nodes: show the office's contacts (always on escalate)
	Groups   []Group                 // checklist nodes: the checks shown, by group, in order
	// Problems says, on a checklist node, where a problem of a check goes
	// when its result names no node of its own: per check, per problem
	// status (warn, fail, error; "other" expanded).
	Problems map[string]map[check.Status]Target
	Next     Target          // checklist nodes: where the walk goes on after the list
	OS       map[OS]*Variant // text and steps for one operating system (os:)
	Pos      Pos             // position of the node's key

	idx int32 // position in the validator's graph
}

// Group is one group of a checklist node: a title and its checks.
type Group struct {
	Title    string
	Checks   []string
	CheckPos []Pos // where each check is written
	Pos      Pos
}

// ProblemStatuses are the outcomes a checklist shows as problems (a warn
// too: it needs attention). Problems may map them to nodes.
var ProblemStatuses = []check.Status{check.Warn, check.Fail, check.Error}

// ChecklistNames are the checks of a checklist node, in the order of its
// groups.
func (n *Node) ChecklistNames() []string {
	var out []string
	for _, g := range n.Groups {
		out = append(out, g.Checks...)
	}
	return out
}

// ProblemTarget is where a problem of check name with status st goes on a
// checklist node when its result names no node: the node's problems.
func (n *Node) ProblemTarget(name string, st check.Status) (Target, bool) {
	t, ok := n.Problems[name][st]
	return t, ok
}

// Choice is one answer to a question or steps node. It is one of three
// kinds: a goto (the walk moves on to Goto), a visit (Visit is set: the walk
// goes to Goto and, when the visited walk ends or resumes, comes back to
// Return), or a resume (Resume is set, Goto is empty: it ends the visit in
// progress and returns to the caller; shown only while a visit is open).
//
// Code that only follows arrows can treat a visit like a goto: Goto is
// where it leads first.
type Choice struct {
	Label  string
	Goto   Target // goto, or the node a visit goes to; empty for a resume
	Visit  bool   // a returning visit (visit:)
	Return Target // visits: the node of the holder's flow the walk comes back to (default: the holder)
	Resume bool   // resume: true
	Pos    Pos    // where the choice is written
}

// OS is an operating system a node may have a variant for.
type OS string

// The operating systems of os: variants, and the values of --os.
const (
	Windows OS = "windows"
	MacOS   OS = "macos"
	Linux   OS = "linux"
)

// OSes lists the operating systems in the order documented.
var OSes = []OS{Windows, MacOS, Linux}

// Variant is a node's text and steps for one operating system. A field not
// given (HasText, HasSteps false) falls back to the node's own.
type Variant struct {
	Text     string
	Steps    []string
	HasText  bool
	HasSteps bool
	Pos      Pos // position of the variant's key
}

// TextFor is the node's text on os: the variant's when it gives one, else
// the common text.
func (n *Node) TextFor(os OS) string {
	if v := n.OS[os]; v != nil && v.HasText {
		return v.Text
	}
	return n.Text
}

// StepsFor is the node's steps on os: the variant's when it gives them,
// else the common steps.
func (n *Node) StepsFor(os OS) []string {
	if v := n.OS[os]; v != nil && v.HasSteps {
		return v.Steps
	}
	return n.Steps
}

// Target is where a choice or outcome leads: a node of the same flow or of
// another one. Flow is always filled in after loading.
type Target struct {
	Flow, Node string
	Pos        Pos // where the reference is written
}

func (t Target) String() string { return t.Flow + ":" + t.Node }

// Set is a loaded collection of flows, sorted by Order then ID.
type Set struct {
	Flows []*Flow
	byID  map[string]*Flow
}

// Flow returns the flow with the given id, or nil.
func (s *Set) Flow(id string) *Flow { return s.byID[id] }

// Node returns the node flow:node, or nil.
func (s *Set) Node(flowID, nodeID string) *Node {
	if f := s.byID[flowID]; f != nil {
		return f.Nodes[nodeID]
	}
	return nil
}

// NodeCount is the number of nodes across all flows.
func (s *Set) NodeCount() int {
	n := 0
	for _, f := range s.Flows {
		n += len(f.Nodes)
	}
	return n
}

func newSet(flows []*Flow) *Set {
	s := &Set{byID: make(map[string]*Flow, len(flows))}
	for _, f := range flows {
		if _, dup := s.byID[f.ID]; dup {
			continue // reported by the validator; the first one wins
		}
		s.byID[f.ID] = f
		s.Flows = append(s.Flows, f)
	}
	sort.SliceStable(s.Flows, func(i, j int) bool {
		if s.Flows[i].Order != s.Flows[j].Order {
			return s.Flows[i].Order < s.Flows[j].Order
		}
		return s.Flows[i].ID < s.Flows[j].ID
	})
	return s
}

// Problem is one thing wrong in a flow file.
type Problem struct {
	Pos
	Msg string
}

// String formats the problem as file:line:col: message, safe for a terminal
// (a hostile file name or key cannot smuggle escape sequences).
func (p Problem) String() string { return textsafe.Line(p.Pos.String() + ": " + p.Msg) }

// Problems is a list of problems; as an error it prints one per line.
type Problems []Problem

func (ps Problems) Error() string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += "\n"
		}
		s += p.String()
	}
	return s
}

func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}
