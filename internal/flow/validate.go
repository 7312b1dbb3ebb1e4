package flow

import (
	"github.com/sportello/sportello/internal/check"
)

// Validate checks what needs the whole set: unique flow ids, that every
// target exists, that check names are known, that every node is reachable
// from some flow's start and that an end can be reached from every node. It
// fills in the flow of flow-local targets. It runs in time linear in the
// number of nodes and edges.
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
	resolve := func(from *Node, t *Target) {
		if t.Flow == "" {
			t.Flow = from.Flow
		}
		tf := byID[t.Flow]
		if tf == nil {
			add(t.Pos, "destinazione «%s»: il percorso «%s» non esiste%s", t, t.Flow, suggest(t.Flow, keys(byID)))
			return
		}
		tn := tf.Nodes[t.Node]
		if tn == nil {
			add(t.Pos, "destinazione «%s»: il nodo «%s» non esiste nel percorso «%s»%s", t.Node, t.Node, t.Flow, suggest(t.Node, tf.NodeIDs))
			return
		}
		edges = append(edges, [2]int32{from.idx, tn.idx})
	}
	for _, n := range nodes {
		for i := range n.Choices {
			resolve(n, &n.Choices[i].Goto)
		}
		for _, s := range check.Statuses {
			if t, ok := n.Outcomes[s]; ok {
				resolve(n, &t)
				n.Outcomes[s] = t
			}
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
	// target), so only nodes that lead somewhere are called traps.
	canEnd := make([]bool, len(nodes))
	queue = queue[:0]
	for i, n := range nodes {
		if n.Type == End || byID[n.Flow].broken {
			canEnd[i] = true
			queue = append(queue, int32(i))
		}
	}
	bfs(queue, pred, canEnd)
	for i, n := range nodes {
		if !canEnd[i] && len(succ.of(int32(i))) > 0 {
			add(n.Pos, "dal nodo «%s» non si arriva a nessun nodo end: è una trappola (ciclo senza uscita?)", n.ID)
		}
	}
	return ps
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

func keys(m map[string]*Flow) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func suggestRegistry(name string, reg check.Registry) string {
	if names, ok := reg.(check.Names); ok {
		return suggest(name, names)
	}
	return ""
}
