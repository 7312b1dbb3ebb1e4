package flow

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/yamlstrict"
)

// A checklist node is the self-check on one screen: it runs every check of
// its groups from one probe, lists them by group as the results arrive,
// problems first, and lets the user follow each problem to the node that
// solves it (as a visit that comes back to the list). Which checks it shows
// and how they are grouped is content, so a help desk changes it without
// code:
//
//	controlli:
//	  type: checklist
//	  title: Autodiagnosi
//	  groups:
//	    - title: Driver e dispositivo
//	      checks: [token.module, token.present]
//	  problems:                       # for results that name no node of their own
//	    token.pin: { warn: pin-avviso, other: assistenza }
//	  next: riepilogo                 # «Continua»
//
// A problem goes to the node its result names (check.Result.Node) when the
// set has it; otherwise (the result names none, or a node this set lacks)
// where problems says, per check and status (warn, fail, error, other), or
// one target for all of them. The validator requires, for every check
// listed, that the nodes its results may name exist or that problems
// covers all three statuses.

// checklist reads the fields of a checklist node.
func (p *parser) checklist(n *Node, fs fieldSet, k *yaml.Node, what place) {
	n.Groups = p.groups(n, fs, k)
	if kv, ok := fs.get("problems"); ok {
		n.Problems = p.problemMap(n, kv)
	}
	kv, ok := fs.get("next")
	if !ok {
		p.errorf(k, "manca il campo obbligatorio «next» %s: dove si va dopo l'elenco dei controlli («Continua»)", what.in())
		return
	}
	if t, ok := p.target(kv[1]); ok {
		n.Next = t
	}
}

// groups reads the groups of checklist n: each a title and a non-empty
// list of check names, no check twice in the node.
func (p *parser) groups(n *Node, fs fieldSet, k *yaml.Node) []Group {
	kv, ok := fs.get("groups")
	if !ok {
		p.errorf(k, "manca il campo obbligatorio «groups» nel nodo «%s»: i gruppi di controlli da mostrare", n.ID)
		return nil
	}
	seq := kv[1]
	if seq.Kind != yaml.SequenceNode {
		p.errorf(seq, "«groups» deve essere una lista di gruppi (- title: …, checks: [...]), non %s", yamlstrict.KindName(seq))
		return nil
	}
	if len(seq.Content) == 0 {
		p.errorf(kv[0], "«groups» è vuoto: un elenco di controlli ha almeno un gruppo")
		return nil
	}
	where := map[string]string{} // check → the group that lists it, with its line
	var out []Group
	for _, it := range seq.Content {
		gp := place{kind: placeGroup, id: n.ID}
		gfs := p.fields(it, gp, groupFields)
		if gfs == nil {
			continue
		}
		g := Group{Title: p.str(gfs, "title", true, it, gp), Pos: p.pos(it)}
		ckv, ok := gfs.get("checks")
		if !ok {
			p.errorf(it, "manca il campo obbligatorio «checks» %s: i controlli del gruppo", gp.in())
			continue
		}
		list := ckv[1]
		if list.Kind != yaml.SequenceNode {
			p.errorf(list, "«checks» deve essere una lista di nomi di controlli (es. [token.pin, token.puk]), non %s", yamlstrict.KindName(list))
			continue
		}
		if len(list.Content) == 0 {
			p.errorf(ckv[0], "il gruppo «%s» non ha controlli: togli il gruppo o aggiungine almeno uno", g.Title)
			continue
		}
		for _, c := range list.Content {
			if c.Kind != yaml.ScalarNode || c.Tag == "!!null" || strings.TrimSpace(c.Value) == "" {
				p.errorf(c, "ogni elemento di «checks» deve essere il nome di un controllo (es. token.pin)")
				continue
			}
			if prev, dup := where[c.Value]; dup {
				p.errorf(c, "il controllo «%s» è già nell'elenco (%s): ogni controllo compare una volta sola", c.Value, prev)
				continue
			}
			where[c.Value] = "gruppo «" + g.Title + "», riga " + strconv.Itoa(c.Line)
			g.Checks = append(g.Checks, c.Value)
			g.CheckPos = append(g.CheckPos, p.pos(c))
		}
		out = append(out, g)
	}
	return out
}

// problems reads where the problems of each check go when their results
// name no node: a target, or a mapping of warn, fail, error and other.
func (p *parser) problemMap(n *Node, kv [2]*yaml.Node) map[string]map[check.Status]Target {
	listed := n.ChecklistNames()
	if kv[1].Kind != yaml.MappingNode {
		p.errorf(kv[1], "«problems» deve essere una mappa controllo → nodo (es. token.pin: pin-avviso), non %s", yamlstrict.KindName(kv[1]))
		return nil
	}
	out := map[string]map[check.Status]Target{}
	lines := map[string]int{}
	for i := 0; i+1 < len(kv[1].Content); i += 2 {
		key, v := kv[1].Content[i], kv[1].Content[i+1]
		if key.Kind != yaml.ScalarNode {
			p.errorf(key, "chiave non valida in «problems» nel nodo «%s»: le chiavi sono nomi di controlli", n.ID)
			continue
		}
		name := key.Value
		if prev, dup := lines[name]; dup {
			p.errorf(key, "campo «%s» ripetuto (già alla riga %d)", name, prev)
			continue
		}
		lines[name] = key.Line
		if !slices.Contains(listed, name) {
			p.errorf(key, "«problems» indica «%s», che non è tra i controlli dei gruppi del nodo «%s»%s", name, n.ID, yamlstrict.Suggest(name, listed))
			continue
		}
		if v.Kind == yaml.ScalarNode {
			m := map[check.Status]Target{}
			if t, ok := p.target(v); ok {
				for _, s := range ProblemStatuses {
					m[s] = t
				}
			}
			out[name] = m
			continue
		}
		keys := []string{OutcomeOther, string(check.Pass), string(check.Skip)} // pass and skip: reported below
		for _, s := range ProblemStatuses {
			keys = append(keys, string(s))
		}
		what := place{kind: placeProblem, id: n.ID, sub: name}
		if v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if s := check.Status(v.Content[j].Value); s == check.Pass || s == check.Skip {
					p.errorf(v.Content[j], "«%s» non è un problema: in «problems» di «%s» valgono warn, fail, error e other", s, name)
				}
			}
		}
		sfs := p.fields(v, what, keys)
		if sfs == nil {
			continue
		}
		out[name], _ = p.statusTargets(sfs, ProblemStatuses)
	}
	return out
}

// Leads is what a registry may also know: the nodes a check's results may
// name (check.Result.Node). The validator then requires them in the set for
// every check a checklist shows, since a problem leads there.
type Leads interface {
	NodesOf(name string) []string
}

// validateChecklist checks what a checklist node needs from the whole set:
// known check names, the next node, the problems' nodes, and the nodes the
// checks' results may name (when reg knows them). Every problem target is
// a visit from n that comes back to n: it is added to calls.
func validateChecklist(n *Node, reg check.Registry, resolve func(*Node, *Target) *Node, byID map[string]*Flow,
	add func(Pos, string, ...any), edges, level *[][2]int32, v *visits) {
	seen := map[int32]bool{}
	call := func(to *Node, pos Pos) {
		if to == nil || seen[to.idx] {
			return
		}
		seen[to.idx] = true
		v.calls = append(v.calls, call{from: n.idx, target: to.idx, ret: n.idx, pos: pos})
	}
	leads, _ := reg.(Leads)
	for _, g := range n.Groups {
		for i, name := range g.Checks {
			if reg == nil || !reg.Has(name) {
				add(g.CheckPos[i], "il nodo «%s» elenca il controllo sconosciuto «%s»%s", n.ID, name, suggestRegistry(name, reg))
				continue
			}
			if leads == nil {
				continue
			}
			var missing []string
			for _, ref := range leads.NodesOf(name) {
				fl, nd, _ := strings.Cut(ref, ":")
				var to *Node
				if f := byID[fl]; f != nil {
					to = f.Nodes[nd]
				}
				if to == nil {
					missing = append(missing, "«"+ref+"»")
					continue
				}
				*edges = append(*edges, [2]int32{n.idx, to.idx})
				call(to, g.CheckPos[i])
			}
			if len(missing) > 0 && !n.coversProblems(name) {
				what, fix := "al nodo "+missing[0]+", che non esiste", "il nodo"
				if len(missing) > 1 {
					what, fix = "ai nodi "+strings.Join(missing, ", ")+", che non esistono", "i nodi"
				}
				add(g.CheckPos[i], "i problemi del controllo «%s» portano %s: aggiungi %s, o indica in «problems» dove portare i problemi di «%s» (warn, fail, error)", name, what, fix, name)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(n.Problems)) {
		m := n.Problems[name]
		for _, s := range ProblemStatuses {
			t, ok := m[s]
			if !ok {
				continue
			}
			to := resolve(n, &t)
			m[s] = t
			call(to, t.Pos)
		}
	}
	if n.Next.Node != "" {
		if to := resolve(n, &n.Next); to != nil {
			*level = append(*level, [2]int32{n.idx, to.idx})
		}
	}
}

// coversProblems reports whether problems gives a node for every problem
// status of check name: then a result naming a node the set lacks still
// leads somewhere.
func (n *Node) coversProblems(name string) bool {
	for _, s := range ProblemStatuses {
		if _, ok := n.Problems[name][s]; !ok {
			return false
		}
	}
	return true
}
