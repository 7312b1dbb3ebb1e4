package flow

import (
	"maps"
	"slices"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/yamlstrict"
)

// Validate checks what needs the whole set: unique flow ids, that every
// target and return point exists, that check names are known, that every
// node is reachable from some flow's start, that an end can be reached from
// every node, that every visit can come back and every resume choice is
// reached by a visit. It fills in the flow of flow-local targets. It runs
// in time linear in the number of nodes and edges.
func Validate(flows []*Flow, reg check.Registry) Problems {
	var ps Problems
	add := func(pos Pos, format string, a ...any) {
		ps = append(ps, Problem{Pos: pos, Msg: sprintf(format, a...)})
	}
	byID := make(map[string]*Flow, len(flows))
	for _, f := range flows {
		if f.ID == "" {
			continue
		}
		if first, dup := byID[f.ID]; dup {
			add(f.Pos, "id di percorso «%s» già usato in %s", f.ID, first.Pos)
			continue
		}
		byID[f.ID] = f
	}

	// Number the nodes so the graph searches below work on slices, and
	// collect the edges.
	var nodes []*Node
	for _, f := range flows {
		if byID[f.ID] != f {
			continue
		}
		for _, id := range f.NodeIDs {
			n := f.Nodes[id]
			n.idx = int32(len(nodes))
			nodes = append(nodes, n)
		}
	}
	edges := make([][2]int32, 0, 2*len(nodes))
	// level holds the edges that stay at one level of visits: gotos,
	// outcomes, and a visit's return (from the choice's node to its return
	// node, usable only when the visit can come back).
	var level [][2]int32
	var v visits
	resolve := func(from *Node, t *Target) *Node {
		if t.Flow == "" {
			t.Flow = from.Flow
		}
		tf := byID[t.Flow]
		if tf == nil {
			add(t.Pos, "destinazione «%s»: il percorso «%s» non esiste%s", t, t.Flow, yamlstrict.Suggest(t.Flow, slices.Collect(maps.Keys(byID))))
			return nil
		}
		tn := tf.Nodes[t.Node]
		if tn == nil {
			add(t.Pos, "destinazione «%s»: il nodo «%s» non esiste nel percorso «%s»%s", t.Node, t.Node, t.Flow, yamlstrict.Suggest(t.Node, tf.NodeIDs))
			return nil
		}
		edges = append(edges, [2]int32{from.idx, tn.idx})
		return tn
	}
	for _, n := range nodes {
		for i := range n.Choices {
			c := &n.Choices[i]
			if c.Resume {
				v.resumes = append(v.resumes, resume{n.idx, c.Pos})
				continue
			}
			to := resolve(n, &c.Goto)
			if to == nil {
				continue
			}
			if !c.Visit {
				level = append(level, [2]int32{n.idx, to.idx})
				continue
			}
			c.Return.Flow = n.Flow
			r := byID[n.Flow].Nodes[c.Return.Node]
			if r == nil {
				add(c.Return.Pos, "ritorno «%s»: il nodo «%s» non esiste nel percorso «%s»%s", c.Return.Node, c.Return.Node, n.Flow, yamlstrict.Suggest(c.Return.Node, byID[n.Flow].NodeIDs))
				continue
			}
			edges = append(edges, [2]int32{n.idx, r.idx})
			v.calls = append(v.calls, call{from: n.idx, target: to.idx, ret: r.idx, pos: c.Goto.Pos})
		}
		for _, s := range check.Statuses {
			if t, ok := n.Outcomes[s]; ok {
				if to := resolve(n, &t); to != nil {
					level = append(level, [2]int32{n.idx, to.idx})
				}
				n.Outcomes[s] = t
			}
		}
		if n.Type == Checklist {
			validateChecklist(n, reg, resolve, byID, add, &edges, &level, &v)
		}
		if n.Type == Check && n.Check != "" && (reg == nil || !reg.Has(n.Check)) {
			add(n.Pos, "il nodo «%s» usa il controllo sconosciuto «%s»%s", n.ID, n.Check, suggestRegistry(n.Check, reg))
		}
	}
	succ := newAdjacency(len(nodes), edges, false)
	pred := newAdjacency(len(nodes), edges, true)

	// Reachable from some start (cross-flow gotos count: a node reached
	// only from another flow is in use).
	seen := make([]bool, len(nodes))
	var queue []int32
	for _, f := range flows {
		if byID[f.ID] != f {
			continue
		}
		seeds := []*Node{f.Nodes[f.Start]}
		if f.broken {
			seeds = seeds[:0]
			for _, n := range f.Nodes {
				seeds = append(seeds, n)
			}
		}
		for _, s := range seeds {
			if s != nil && !seen[s.idx] {
				seen[s.idx] = true
				queue = append(queue, s.idx)
			}
		}
	}
	bfs(queue, succ, seen)
	for i, n := range nodes {
		if !seen[i] {
			add(n.Pos, "il nodo «%s» non è raggiungibile dall'inizio di nessun percorso", n.ID)
		}
	}

	// Can reach an end: search backwards from every end node. A node with
	// no way out at all already has its own problem (no choices, a broken
	// target), so only nodes that lead somewhere are called traps. A resume
	// choice is a way out too: it leaves the visit for the caller's walk.
	canEnd := make([]bool, len(nodes))
	queue = queue[:0]
	exit := func(n *Node) bool { return n.Type == End || byID[n.Flow].broken }
	for i, n := range nodes {
		if exit(n) {
			canEnd[i] = true
			queue = append(queue, int32(i))
		}
	}
	for _, r := range v.resumes {
		if !canEnd[r.node] {
			canEnd[r.node] = true
			queue = append(queue, r.node)
		}
	}
	bfs(queue, pred, canEnd)
	for i, n := range nodes {
		if !canEnd[i] && len(succ.of(int32(i))) > 0 {
			add(n.Pos, "dal nodo «%s» non si arriva a nessun nodo end: è una trappola (ciclo senza uscita?)", n.ID)
		}
	}
	if len(v.calls) > 0 || len(v.resumes) > 0 {
		var starts []int32
		for _, f := range flows {
			if s := f.Nodes[f.Start]; byID[f.ID] == f && s != nil {
				starts = append(starts, s.idx)
			}
		}
		v.check(nodes, succ, level, starts, exit, add)
	}
	return ps
}

// visits are the returning visits and resume choices of a set.
type visits struct {
	calls   []call
	resumes []resume
}

// call is one visit choice: from the node holding it to target, coming
// back to ret.
type call struct {
	from, target, ret int32
	pos               Pos // the visit: value
}

// resume is one resume choice.
type resume struct {
	node int32
	pos  Pos
}

// check reports the two problems visits can have on their own: a resume
// choice on a node that no visit reaches (it would never show), and a visit
// whose target can never come back (no end and no resume at the visit's own
// level, nested visits counting only when they come back themselves).
func (v visits) check(nodes []*Node, succ adjacency, level [][2]int32, starts []int32, exit func(*Node) bool, add func(Pos, string, ...any)) {
	// Inside a visit: everything reachable from a visit target, by any
	// arrow (gotos, outcomes, nested visits and their returns).
	inside := make([]bool, len(nodes))
	var queue []int32
	for _, c := range v.calls {
		if !inside[c.target] {
			inside[c.target] = true
			queue = append(queue, c.target)
		}
	}
	bfs(queue, succ, inside)
	for _, r := range v.resumes {
		if !inside[r.node] {
			n := nodes[r.node]
			add(r.pos, "ritorno senza chiamata: nessuna visita («visit») porta al nodo «%s», quindi la scelta «resume» non comparirebbe mai", n.ID)
		}
	}

	// Outside every visit (from a flow's start, not entering a visit), a
	// node whose only choices are resume choices would offer nothing.
	outside := make([]bool, len(nodes))
	queue = queue[:0]
	for _, s := range starts {
		if !outside[s] {
			outside[s] = true
			queue = append(queue, s)
		}
	}
	bfs(queue, newAdjacency(len(nodes), level, false), outside)
	reported := map[int32]bool{}
	for _, r := range v.resumes {
		n := nodes[r.node]
		if !outside[r.node] || reported[r.node] {
			continue
		}
		reported[r.node] = true
		if !slices.ContainsFunc(n.Choices, func(c Choice) bool { return !c.Resume }) {
			add(n.Pos, "il nodo «%s» si raggiunge anche fuori da una visita, dove le scelte «resume» non compaiono: non avrebbe scelte, aggiungine una con «goto»", n.ID)
		}
	}

	// Comes back: search backwards from the exits (end nodes, resume
	// choices) along the edges of one level. A visit's return edge
	// from → ret opens once its target is known to come back.
	pred := newAdjacency(len(nodes), level, true)
	back := make([]bool, len(nodes))
	byTarget := make(map[int32][]call, len(v.calls))
	byRet := make(map[int32][]call, len(v.calls))
	for _, c := range v.calls {
		byTarget[c.target] = append(byTarget[c.target], c)
		byRet[c.ret] = append(byRet[c.ret], c)
	}
	queue = queue[:0]
	mark := func(i int32) {
		if !back[i] {
			back[i] = true
			queue = append(queue, i)
		}
	}
	for i, n := range nodes {
		if exit(n) {
			mark(int32(i))
		}
	}
	for _, r := range v.resumes {
		mark(r.node)
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, j := range pred.of(i) {
			mark(j)
		}
		for _, c := range byRet[i] { // i is a return point: its callers reach it if the visit comes back
			if back[c.target] {
				mark(c.from)
			}
		}
		for _, c := range byTarget[i] { // i is a visit target that comes back
			if back[c.ret] {
				mark(c.from)
			}
		}
	}
	for _, c := range v.calls {
		if !back[c.target] {
			t, r := nodes[c.target], nodes[c.ret]
			add(c.pos, "punto di ritorno mai raggiunto: dal nodo «%s:%s» visitato non si arriva a nessun nodo end né a una scelta «resume», quindi la visita non torna mai a «%s»", t.Flow, t.ID, r.ID)
		}
	}
}

// adjacency is a graph in compressed sparse row form: the neighbours of
// node i are to[start[i]:start[i+1]]. Three allocations for any size.
type adjacency struct {
	start []int32
	to    []int32
}

func (a adjacency) of(i int32) []int32 { return a.to[a.start[i]:a.start[i+1]] }

// newAdjacency builds the successor lists of edges, or with reverse the
// predecessor lists.
func newAdjacency(n int, edges [][2]int32, reverse bool) adjacency {
	from, to := 0, 1
	if reverse {
		from, to = 1, 0
	}
	a := adjacency{start: make([]int32, n+1), to: make([]int32, len(edges))}
	for _, e := range edges {
		a.start[e[from]+1]++
	}
	for i := 1; i <= n; i++ {
		a.start[i] += a.start[i-1]
	}
	fill := append([]int32(nil), a.start[:n]...)
	for _, e := range edges {
		a.to[fill[e[from]]] = e[to]
		fill[e[from]]++
	}
	return a
}

// bfs marks everything reachable from queue along the graph.
func bfs(queue []int32, g adjacency, seen []bool) {
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, j := range g.of(i) {
			if !seen[j] {
				seen[j] = true
				queue = append(queue, j)
			}
		}
	}
}

func suggestRegistry(name string, reg check.Registry) string {
	if names, ok := reg.(check.Names); ok {
		return yamlstrict.Suggest(name, names)
	}
	return ""
}
