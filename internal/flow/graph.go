package flow

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/internal/check"
)

// edge is one arrow of a flow diagram. A visit is drawn dotted; a resume
// choice leads to the flow's "ritorno" node (to is empty).
type edge struct {
	from   string
	to     Target
	label  string
	visit  bool
	ret    string // visits: the node the walk comes back to
	resume bool
}

// text is the edge's label, cut; a visit says where it comes back.
func (e edge) text() string {
	if e.visit {
		return shorten(e.label, 40) + " ↩ " + e.ret
	}
	return shorten(e.label, 40)
}

// resumeNode is the id of the diagram node that stands for "back to the
// caller of a visit".
const resumeNode = "ritorno-al-chiamante"

func (f *Flow) edges() []edge {
	var es []edge
	for _, id := range f.NodeIDs {
		n := f.Nodes[id]
		for _, c := range n.Choices {
			es = append(es, edge{from: id, to: c.Goto, label: c.Label, visit: c.Visit, ret: c.Return.Node, resume: c.Resume})
		}
		// Group outcomes that share a target into one labelled arrow.
		var order []Target
		labels := map[Target][]string{}
		for _, s := range check.Statuses {
			t, ok := n.Outcomes[s]
			if !ok {
				continue
			}
			t.Pos = Pos{}
			if _, seen := labels[t]; !seen {
				order = append(order, t)
			}
			labels[t] = append(labels[t], string(s))
		}
		for _, t := range order {
			es = append(es, edge{from: id, to: t, label: strings.Join(labels[t], "/")})
		}
		if n.Type == Checklist {
			// The problems' own nodes come from the checks, so the diagram
			// shows the flow's: where results that name none go.
			seen := map[Target]bool{}
			for _, name := range slices.Sorted(maps.Keys(n.Problems)) {
				for _, st := range ProblemStatuses {
					t, ok := n.Problems[name][st]
					if t.Pos = (Pos{}); !ok || seen[t] {
						continue
					}
					seen[t] = true
					es = append(es, edge{from: id, to: t, label: "problema di " + name, visit: true, ret: id})
				}
			}
			if n.Next.Node != "" {
				es = append(es, edge{from: id, to: n.Next, label: "continua"})
			}
		}
	}
	return es
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Mermaid writes the flow as a Mermaid flowchart. Nodes of other flows that
// this one jumps to are drawn as stadium shapes.
func (f *Flow) Mermaid(w io.Writer) error {
	var b strings.Builder
	mid := func(flowID, node string) string {
		return strings.ReplaceAll(flowID+"__"+node, "-", "_")
	}
	q := func(s string) string {
		return strings.NewReplacer(`"`, "#quot;", "\n", " ").Replace(s)
	}
	fmt.Fprintf(&b, "---\ntitle: %s\n---\nflowchart TD\n", q(f.Title))
	for _, id := range f.NodeIDs {
		n := f.Nodes[id]
		label := q(n.Title)
		switch n.Type {
		case Question:
			fmt.Fprintf(&b, "  %s{\"%s\"}\n", mid(f.ID, id), label)
		case Check:
			fmt.Fprintf(&b, "  %s[[\"%s<br/>%s\"]]\n", mid(f.ID, id), label, q(n.Check))
		case Checklist:
			fmt.Fprintf(&b, "  %s[[\"%s<br/>%s\"]]\n", mid(f.ID, id), label, q(strings.Join(n.ChecklistNames(), ", ")))
		case End:
			fmt.Fprintf(&b, "  %s([\"%s<br/>%s\"])\n", mid(f.ID, id), label, n.Result)
		default:
			fmt.Fprintf(&b, "  %s[\"%s\"]\n", mid(f.ID, id), label)
		}
	}
	external := map[string]bool{}
	for _, e := range f.edges() {
		if e.resume {
			e.to = Target{Flow: f.ID, Node: resumeNode}
			if !external[resumeNode] {
				external[resumeNode] = true
				fmt.Fprintf(&b, "  %s([\"↩ ritorno al percorso chiamante\"])\n", mid(f.ID, resumeNode))
			}
		}
		if e.to.Flow != "" && e.to.Flow != f.ID && !external[e.to.String()] {
			external[e.to.String()] = true
			fmt.Fprintf(&b, "  %s([\"%s\"])\n", mid(e.to.Flow, e.to.Node), q(e.to.String()))
		}
		toFlow := e.to.Flow
		if toFlow == "" {
			toFlow = f.ID
		}
		arrow := "-->"
		if e.visit || e.resume {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", mid(f.ID, e.from), arrow, q(e.text()), mid(toFlow, e.to.Node))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Dot writes the flow as a Graphviz digraph.
func (f *Flow) Dot(w io.Writer) error {
	var b strings.Builder
	q := func(s string) string {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
	}
	fmt.Fprintf(&b, "digraph %s {\n  label=%s;\n  rankdir=TB;\n  node [fontname=\"sans-serif\"];\n", q(f.ID), q(f.Title))
	shapes := map[NodeType]string{Question: "diamond", Steps: "box", Check: "box3d", Checklist: "box3d", End: "oval"}
	for _, id := range f.NodeIDs {
		n := f.Nodes[id]
		label := n.Title
		if n.Type == Check {
			label += "\n" + n.Check
		}
		if n.Type == Checklist {
			label += "\n" + strings.Join(n.ChecklistNames(), ", ")
		}
		if n.Type == End {
			label += "\n" + string(n.Result)
		}
		fmt.Fprintf(&b, "  %s [shape=%s, label=%s];\n", q(id), shapes[n.Type], q(label))
	}
	external := map[string]bool{}
	for _, e := range f.edges() {
		to := e.to.Node
		if e.resume {
			to = resumeNode
			if !external[to] {
				external[to] = true
				fmt.Fprintf(&b, "  %s [shape=oval, style=dashed, label=%s];\n", q(to), q("↩ ritorno al percorso chiamante"))
			}
		}
		if e.to.Flow != "" && e.to.Flow != f.ID {
			to = e.to.String()
			if !external[to] {
				external[to] = true
				fmt.Fprintf(&b, "  %s [shape=oval, style=dashed];\n", q(to))
			}
		}
		style := ""
		if e.visit || e.resume {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s%s];\n", q(e.from), q(to), q(e.text()), style)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
