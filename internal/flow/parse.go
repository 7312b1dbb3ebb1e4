package flow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/yamlstrict"
)

// MaxFileSize bounds one flow file. A real flow is a few kilobytes; 10,000
// generated nodes are about 2 MB.
const MaxFileSize = 16 << 20

// DefaultOrder places a flow without `order:` after the numbered ones.
const DefaultOrder = 1000

// isID reports whether s is a flow or node id: [a-z0-9][a-z0-9-]*.
func isID(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isSourceID reports whether s has the shape of a COVERAGE.md ID:
// [A-Z]+-[0-9]+(\.[0-9]+)*, e.g. PEC-15 or GS-5.7.1.
func isSourceID(s string) bool {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	if i == 0 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, part := range strings.Split(s[i+1:], ".") {
		if part == "" {
			return false
		}
		for j := 0; j < len(part); j++ {
			if part[j] < '0' || part[j] > '9' {
				return false
			}
		}
	}
	return true
}

var (
	flowFields    = []string{"id", "title", "description", "order", "start", "nodes"}
	nodeFields    = []string{"type", "title", "text", "source", "choices", "steps", "check", "outcomes", "wait", "result", "contacts", "groups", "problems", "next", "os"}
	groupFields   = []string{"title", "checks"}
	choiceFields  = []string{"label", "goto", "visit", "return", "resume"}
	variantFields = []string{"text", "steps"}
	nodeTypes     = []string{string(Question), string(Steps), string(Check), string(Checklist), string(End)}
	results       = []string{string(Resolved), string(Escalate), string(Info)}
	// typeFields lists the fields each node type accepts beyond type, title,
	// text and source.
	typeFields = map[NodeType][]string{
		Question:  {"choices"},
		Steps:     {"steps", "choices"},
		Check:     {"check", "outcomes", "wait"},
		Checklist: {"groups", "problems", "next"},
		End:       {"result", "contacts"},
	}
)

// parser collects the problems of one file.
type parser struct {
	file     string
	problems Problems
}

func (p *parser) errorf(n *yaml.Node, format string, a ...any) {
	pos := Pos{File: p.file, Line: 1, Col: 1}
	if n != nil && n.Line > 0 {
		pos.Line, pos.Col = n.Line, n.Column
	}
	p.problems = append(p.problems, Problem{Pos: pos, Msg: fmt.Sprintf(format, a...)})
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{File: p.file, Line: n.Line, Col: n.Column} }

// Parse decodes one flow file. It returns the flow (nil when the file cannot
// be read as a flow at all) and every problem local to the file. Problems
// that need the other files (targets, duplicate ids, reachability) are found
// by Validate.
func Parse(name string, data []byte) (*Flow, Problems) {
	p := &parser{file: name}
	root := p.document(data)
	if root == nil {
		return nil, p.problems
	}
	f := p.flow(root)
	if f != nil {
		f.broken = len(p.problems) > 0
	}
	return f, p.problems
}

// flowFile is how a flow file's refusals name it (see yamlstrict.Root).
var flowFile = yamlstrict.Kind{
	MaxSize: MaxFileSize,
	TooBig:  "un percorso è testo di pochi kilobyte",
	Empty:   "un percorso deve avere almeno id, title, description, start e nodes",
	Binary:  "i percorsi sono file YAML",
	Several: "un percorso per file",
	Where:   "nei percorsi",
}

// document checks that data is one plain YAML document and returns its root.
func (p *parser) document(data []byte) *yaml.Node {
	root, bad := flowFile.Root(data)
	if bad != nil {
		p.errorf(&yaml.Node{Line: bad.Line, Column: bad.Column}, "%s", bad.Msg)
	}
	return root
}

// fields reads a mapping into key → (key node, value node), reporting
// non-mapping values, duplicate keys and keys outside allowed.
// place names what a message is about, built only when there is a message:
// as a subject ("il nodo «a»") and as a location ("nel nodo «a»").
type place struct {
	kind int // one of the place* constants
	id   string
	sub  string // placeVariant: the OS
}

const (
	placeFlow = iota
	placeNode
	placeChoice
	placeOutcomes
	placeOS      // the os: mapping of a node
	placeVariant // one variant of os: (sub is the OS)
	placeGroup   // one group of a checklist
	placeProblems
	placeProblem // the problems of one check (sub is the check)
)

func (w place) subj() string {
	switch w.kind {
	case placeNode:
		return "il nodo «" + w.id + "»"
	case placeChoice:
		return "ogni scelta"
	case placeOutcomes:
		return "«outcomes»"
	case placeOS:
		return "«os» nel nodo «" + w.id + "»"
	case placeVariant:
		return "la variante «" + w.sub + "» del nodo «" + w.id + "»"
	case placeGroup:
		return "ogni gruppo"
	case placeProblems:
		return "«problems»"
	case placeProblem:
		return "«problems» di «" + w.sub + "»"
	}
	return "un percorso"
}

func (w place) in() string {
	switch w.kind {
	case placeNode:
		return "nel nodo «" + w.id + "»"
	case placeChoice:
		return "in una scelta del nodo «" + w.id + "»"
	case placeOutcomes:
		return "in «outcomes» nel nodo «" + w.id + "»"
	case placeOS:
		return "in «os» nel nodo «" + w.id + "»"
	case placeVariant:
		return "nella variante «" + w.sub + "» del nodo «" + w.id + "»"
	case placeGroup:
		return "in un gruppo del nodo «" + w.id + "»"
	case placeProblems:
		return "in «problems» nel nodo «" + w.id + "»"
	case placeProblem:
		return "in «problems» di «" + w.sub + "» nel nodo «" + w.id + "»"
	}
	return "nel percorso"
}

// fieldSet holds the fields of one mapping in file order. Mappings have a
// handful of keys, so a linear search beats a map and allocates once.
type fieldSet [][2]*yaml.Node

// get returns the key and value nodes of field name.
func (fs fieldSet) get(name string) ([2]*yaml.Node, bool) {
	for _, kv := range fs {
		if kv[0].Value == name {
			return kv, true
		}
	}
	return [2]*yaml.Node{}, false
}

// fieldValue returns the value node of a field known to be present.
func fieldValue(fs fieldSet, name string) *yaml.Node {
	kv, _ := fs.get(name)
	return kv[1]
}

// fields reads a mapping, reporting non-mapping values, duplicate keys and
// keys outside allowed. It returns nil when n is not a mapping.
func (p *parser) fields(n *yaml.Node, what place, allowed []string) fieldSet {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s deve essere una mappa (chiave: valore), non %s", what.subj(), yamlstrict.KindName(n))
		return nil
	}
	out := make(fieldSet, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "chiave non valida %s: le chiavi sono parole semplici", what.in())
			continue
		}
		if prev, dup := out.get(k.Value); dup {
			p.errorf(k, "campo «%s» ripetuto (già alla riga %d)", k.Value, prev[0].Line)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			switch what.kind {
			case placeOS:
				p.errorf(k, "sistema operativo sconosciuto «%s» %s: usa windows, macos o linux%s", k.Value, what.in(), yamlstrict.Suggest(k.Value, allowed))
			case placeVariant:
				p.errorf(k, "campo sconosciuto «%s» %s: una variante ha solo «text» e «steps»%s", k.Value, what.in(), yamlstrict.Suggest(k.Value, allowed))
			default:
				p.errorf(k, "campo sconosciuto «%s» %s%s", k.Value, what.in(), yamlstrict.Suggest(k.Value, allowed))
			}
			continue
		}
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

// str reads a scalar text field; required fields that are missing or empty
// are reported at the owner's position.
func (p *parser) str(fs fieldSet, key string, required bool, owner *yaml.Node, what place) string {
	kv, ok := fs.get(key)
	if !ok {
		if required {
			p.errorf(owner, "manca il campo obbligatorio «%s» %s", key, what.in())
		}
		return ""
	}
	v := kv[1]
	if v.Kind == yaml.MappingNode && v.Line == kv[0].Line {
		p.errorf(v, "«%s» deve essere un testo, non una mappa: se il testo contiene «: » mettilo tra virgolette", key)
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		p.errorf(v, "«%s» deve essere un testo, non %s", key, yamlstrict.KindName(v))
		return ""
	}
	if v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
		if required {
			p.errorf(kv[0], "«%s» è vuoto", key)
		}
		return ""
	}
	p.safe(v, key)
	return v.Value
}

// safe reports text that would carry control characters or escape
// sequences to a terminal. Newlines are fine in text.
func (p *parser) safe(v *yaml.Node, key string) {
	if !textsafe.IsSafeText(v.Value) {
		p.errorf(v, "«%s» contiene caratteri di controllo o sequenze di escape: %s", key, textsafe.Line(v.Value))
	}
	for _, msg := range templateProblems(v.Value) {
		p.errorf(v, "«%s»: %s", key, msg)
	}
}

func (p *parser) strList(fs fieldSet, key string) []string {
	kv, ok := fs.get(key)
	if !ok {
		return nil
	}
	v := kv[1]
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "«%s» deve essere una lista, non %s (scrivi [%s])", key, yamlstrict.KindName(v), v.Value)
		return nil
	}
	out := make([]string, 0, len(v.Content))
	for _, it := range v.Content {
		if it.Kind == yaml.MappingNode {
			p.errorf(it, "ogni elemento di «%s» deve essere un testo, non una mappa: se il testo contiene «: » mettilo tra virgolette", key)
			continue
		}
		if it.Kind != yaml.ScalarNode || it.Tag == "!!null" || strings.TrimSpace(it.Value) == "" {
			p.errorf(it, "ogni elemento di «%s» deve essere un testo non vuoto", key)
			continue
		}
		p.safe(it, key)
		out = append(out, it.Value)
	}
	return out
}

func (p *parser) flow(root *yaml.Node) *Flow {
	fs := p.fields(root, place{kind: placeFlow}, flowFields)
	if fs == nil {
		return nil
	}
	f := &Flow{Order: DefaultOrder, Pos: Pos{File: p.file, Line: 1, Col: 1}}
	f.ID = p.str(fs, "id", true, root, place{kind: placeFlow})
	if kv, ok := fs.get("id"); ok {
		f.Pos = p.pos(kv[1])
		if f.ID != "" && !isID(f.ID) {
			p.errorf(kv[1], "id «%s» non valido: usa lettere minuscole, cifre e trattini", f.ID)
		}
	}
	f.Title = p.str(fs, "title", true, root, place{kind: placeFlow})
	f.Description = p.str(fs, "description", true, root, place{kind: placeFlow})
	f.Start = p.str(fs, "start", true, root, place{kind: placeFlow})
	if kv, ok := fs.get("order"); ok {
		n, err := strconv.Atoi(kv[1].Value)
		if kv[1].Kind != yaml.ScalarNode || kv[1].Tag != "!!int" || err != nil {
			p.errorf(kv[1], "«order» deve essere un numero intero")
		} else {
			f.Order = n
		}
	}
	kv, ok := fs.get("nodes")
	if !ok {
		p.errorf(root, "manca il campo obbligatorio «nodes» in un percorso")
		return f
	}
	nodes := kv[1]
	if nodes.Kind != yaml.MappingNode {
		p.errorf(nodes, "«nodes» deve essere una mappa id → nodo, non %s", yamlstrict.KindName(nodes))
		return f
	}
	f.Nodes = make(map[string]*Node, len(nodes.Content)/2)
	f.NodeIDs = make([]string, 0, len(nodes.Content)/2)
	for i := 0; i+1 < len(nodes.Content); i += 2 {
		k, v := nodes.Content[i], nodes.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "l'id di un nodo deve essere una parola semplice")
			continue
		}
		if !isID(k.Value) {
			p.errorf(k, "id di nodo «%s» non valido: usa lettere minuscole, cifre e trattini", k.Value)
		}
		if prev, dup := f.Nodes[k.Value]; dup {
			p.errorf(k, "nodo «%s» definito due volte (la prima alla riga %d)", k.Value, prev.Pos.Line)
			continue
		}
		n := p.node(f.ID, k, v)
		f.Nodes[n.ID] = n
		f.NodeIDs = append(f.NodeIDs, n.ID)
	}
	if len(f.Nodes) == 0 {
		p.errorf(nodes, "«nodes» è vuoto: un percorso ha almeno un nodo")
	}
	if kv, ok := fs.get("start"); ok && f.Start != "" && len(f.Nodes) > 0 && f.Nodes[f.Start] == nil {
		p.errorf(kv[1], "start «%s» non è un nodo di questo percorso%s", f.Start, yamlstrict.Suggest(f.Start, f.NodeIDs))
	}
	return f
}

func (p *parser) node(flowID string, k, v *yaml.Node) *Node {
	n := &Node{ID: k.Value, Flow: flowID, Pos: p.pos(k)}
	what := place{kind: placeNode, id: n.ID}
	fs := p.fields(v, what, nodeFields)
	if fs == nil {
		return n
	}
	typ := p.str(fs, "type", true, k, what)
	n.Type = NodeType(typ)
	if typ != "" && !slices.Contains(nodeTypes, typ) {
		p.errorf(fieldValue(fs, "type"), "tipo «%s» non valido: usa question, steps, check, checklist o end%s", typ, yamlstrict.Suggest(typ, nodeTypes))
		n.Type = ""
	}
	n.Title = p.str(fs, "title", true, k, what)
	n.Text = p.str(fs, "text", false, k, what)
	n.Source = p.strList(fs, "source")
	if kv, ok := fs.get("source"); ok {
		for i, s := range n.Source {
			if !isSourceID(s) {
				at := kv[1]
				if i < len(kv[1].Content) {
					at = kv[1].Content[i]
				}
				p.errorf(at, "fonte «%s» non valida: gli ID di COVERAGE.md hanno la forma SIGLA-N o SIGLA-N.N (es. PEC-15, GS-5.7.1)", s)
			}
		}
	}
	if n.Type == "" {
		return n
	}
	// Fields that belong to another type.
	for _, f := range []string{"choices", "steps", "check", "outcomes", "wait", "result", "contacts", "groups", "problems", "next"} {
		if kv, ok := fs.get(f); ok && !slices.Contains(typeFields[n.Type], f) {
			if n.Type == End && f == "choices" {
				p.errorf(kv[0], "un nodo end non ha scelte: togli «choices» o cambia il tipo")
			} else {
				p.errorf(kv[0], "il campo «%s» non è ammesso in un nodo di tipo %s", f, n.Type)
			}
		}
	}
	switch n.Type {
	case Question, Steps:
		n.Choices = p.choices(fs, k, what)
		if written := len(choiceItems(fs)); n.Type == Question && written < 2 {
			at := k
			if kv, ok := fs.get("choices"); ok {
				at = kv[0]
			}
			p.errorf(at, "una domanda (question) deve avere almeno due scelte, ne ha %d", written)
		}
		if n.Type == Steps {
			n.Steps = p.strList(fs, "steps")
			if kv, ok := fs.get("steps"); !ok || len(kv[1].Content) == 0 {
				p.errorf(k, "un nodo steps deve avere almeno un passo in «steps»")
			}
			if len(n.Choices) == 0 {
				p.errorf(k, "un nodo steps deve avere almeno una scelta in «choices» (es. «Ha funzionato?»)")
			}
		}
	case Check:
		n.Check = p.str(fs, "check", true, k, what)
		n.Outcomes = p.outcomes(fs, k, what)
		if kv, ok := fs.get("wait"); ok {
			if kv[1].Kind != yaml.ScalarNode || kv[1].Tag != "!!bool" {
				p.errorf(kv[1], "«wait» deve essere true o false")
			} else {
				n.Wait = strings.EqualFold(kv[1].Value, "true")
			}
		}
	case Checklist:
		p.checklist(n, fs, k, what)
	case End:
		r := p.str(fs, "result", true, k, what)
		if r != "" && !slices.Contains(results, r) {
			p.errorf(fieldValue(fs, "result"), "result «%s» non valido: usa resolved, escalate o info%s", r, yamlstrict.Suggest(r, results))
		}
		n.Result = Result(r)
		if kv, ok := fs.get("contacts"); ok {
			switch {
			case kv[1].Kind != yaml.ScalarNode || kv[1].Tag != "!!bool":
				p.errorf(kv[1], "«contacts» deve essere true o false")
			case n.Result == Escalate && !strings.EqualFold(kv[1].Value, "true"):
				p.errorf(kv[0], "un nodo escalate mostra sempre come contattare l'ufficio: togli «contacts: false»")
			default:
				n.Contacts = strings.EqualFold(kv[1].Value, "true")
			}
		}
	}
	if kv, ok := fs.get("os"); ok {
		n.OS = p.variants(kv[1], n)
	}
	return n
}

// osNames are the keys of os:.
var osNames = func() []string {
	out := make([]string, len(OSes))
	for i, o := range OSes {
		out[i] = string(o)
	}
	return out
}()

// variants reads the os: mapping of node n: per operating system, a text
// and/or steps that replace the node's own on that system.
func (p *parser) variants(v *yaml.Node, n *Node) map[OS]*Variant {
	vfs := p.fields(v, place{kind: placeOS, id: n.ID}, osNames)
	if vfs == nil {
		return nil
	}
	if len(vfs) == 0 && len(v.Content) == 0 {
		p.errorf(v, "«os» nel nodo «%s» è vuoto: scrivi le varianti per windows, macos o linux, o togli «os»", n.ID)
		return nil
	}
	out := make(map[OS]*Variant, len(vfs))
	for _, kv := range vfs {
		name := kv[0].Value
		what := place{kind: placeVariant, id: n.ID, sub: name}
		ffs := p.fields(kv[1], what, variantFields)
		if ffs == nil {
			continue
		}
		if len(ffs) == 0 {
			if len(kv[1].Content) == 0 {
				p.errorf(kv[0], "la variante «%s» del nodo «%s» è vuota: scrivi «text» e/o «steps»", name, n.ID)
			}
			continue
		}
		va := &Variant{Pos: p.pos(kv[0])}
		if _, ok := ffs.get("text"); ok {
			va.Text = p.str(ffs, "text", true, kv[0], what)
			va.HasText = va.Text != ""
		}
		if skv, ok := ffs.get("steps"); ok {
			if n.Type != "" && n.Type != Steps {
				p.errorf(skv[0], "la variante «%s» ha «steps», ma il nodo «%s» è di tipo %s, che non ha passi: togli «steps» o cambia il tipo", name, n.ID, n.Type)
			} else {
				va.Steps = p.strList(ffs, "steps")
				va.HasSteps = true
				if skv[1].Kind == yaml.SequenceNode && len(skv[1].Content) == 0 {
					p.errorf(skv[0], "«steps» della variante «%s» del nodo «%s» è vuoto: scrivi almeno un passo o togli «steps»", name, n.ID)
				}
			}
		}
		out[OS(name)] = va
	}
	return out
}

// choiceItems are the choices as written (a problem in one does not make
// a question look short of choices).
func choiceItems(fs fieldSet) []*yaml.Node {
	if kv, ok := fs.get("choices"); ok && kv[1].Kind == yaml.SequenceNode {
		return kv[1].Content
	}
	return nil
}

func (p *parser) choices(fs fieldSet, owner *yaml.Node, what place) []Choice {
	kv, ok := fs.get("choices")
	if !ok {
		return nil
	}
	seq := kv[1]
	if seq.Kind != yaml.SequenceNode {
		p.errorf(seq, "«choices» deve essere una lista di scelte (- label: …, goto: …), non %s", yamlstrict.KindName(seq))
		return nil
	}
	out := make([]Choice, 0, len(seq.Content))
	for _, it := range seq.Content {
		cp := place{kind: placeChoice, id: what.id}
		cfs := p.fields(it, cp, choiceFields)
		if cfs == nil {
			continue
		}
		c := Choice{Label: p.str(cfs, "label", true, it, cp), Pos: p.pos(it)}
		if p.choiceKind(&c, cfs, it, cp) {
			out = append(out, c)
		}
	}
	return out
}

func (p *parser) outcomes(fs fieldSet, owner *yaml.Node, what place) map[check.Status]Target {
	kv, ok := fs.get("outcomes")
	if !ok {
		p.errorf(owner, "manca il campo obbligatorio «outcomes» %s", what.in())
		return nil
	}
	keys := make([]string, 0, len(check.Statuses)+1)
	for _, s := range check.Statuses {
		keys = append(keys, string(s))
	}
	keys = append(keys, OutcomeOther)
	ofs := p.fields(kv[1], place{kind: placeOutcomes, id: what.id}, keys)
	if ofs == nil {
		return nil
	}
	out, missing := p.statusTargets(ofs, check.Statuses)
	if len(missing) > 0 {
		what := "aggiungi la chiave"
		if len(missing) > 1 {
			what = "aggiungi le chiavi"
		}
		keys := make([]string, len(missing))
		for i, s := range missing {
			keys[i] = "«" + string(s) + "»"
		}
		p.errorf(kv[0], "«outcomes» non dice dove andare per %s: %s o usa «other»", strings.Join(keys, ", "), what)
	}
	return out
}

// statusTargets reads a mapping of statuses and other to targets: each of
// statuses goes where its own key says, else where other says; missing are
// the statuses with neither.
func (p *parser) statusTargets(sfs fieldSet, statuses []check.Status) (out map[check.Status]Target, missing []check.Status) {
	out = make(map[check.Status]Target, len(statuses))
	var other *Target
	if kv, ok := sfs.get(OutcomeOther); ok {
		if t, ok := p.target(kv[1]); ok {
			other = &t
		}
	}
	for _, s := range statuses {
		if kv, ok := sfs.get(string(s)); ok {
			if t, ok := p.target(kv[1]); ok {
				out[s] = t
			}
		} else if other != nil {
			out[s] = *other
		} else {
			missing = append(missing, s)
		}
	}
	return out, missing
}

// choiceKind reads what a choice does: goto, visit (with an optional
// return) or resume. It reports false when the choice cannot be followed.
func (p *parser) choiceKind(c *Choice, cfs fieldSet, it *yaml.Node, cp place) bool {
	gkv, hasGoto := cfs.get("goto")
	vkv, hasVisit := cfs.get("visit")
	rkv, hasReturn := cfs.get("return")
	skv, hasResume := cfs.get("resume")
	switch {
	case hasResume:
		v := skv[1]
		ok := true
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || !strings.EqualFold(v.Value, "true") {
			p.errorf(v, "«resume» deve essere true (la scelta torna al percorso che ha aperto la visita), oppure toglilo")
			ok = false
		}
		for _, other := range [][2]*yaml.Node{gkv, vkv, rkv} {
			if other[0] != nil {
				p.errorf(other[0], "una scelta con «resume: true» torna al percorso che ha aperto la visita: togli «%s»", other[0].Value)
				ok = false
			}
		}
		c.Resume = ok
		return ok
	case hasGoto && hasVisit:
		p.errorf(vkv[0], "una scelta ha «goto» oppure «visit», non entrambi: «goto» va a un nodo, «visit» ci va e poi torna")
		return false
	case hasVisit:
		t, ok := p.target(vkv[1])
		if !ok {
			return false
		}
		c.Goto, c.Visit = t, true
		c.Return = Target{Node: cp.id, Pos: t.Pos}
		if hasReturn {
			r, ok := p.returnTarget(rkv[1])
			if !ok {
				return false
			}
			c.Return = r
		}
		return true
	case hasGoto:
		if hasReturn {
			p.errorf(rkv[0], "«return» vale solo con «visit»: con «goto» il percorso non torna indietro (usa «visit» al posto di «goto»)")
			return false
		}
		t, ok := p.target(gkv[1])
		c.Goto = t
		return ok
	}
	p.errorf(it, "manca il campo obbligatorio «goto» %s (oppure «visit», o «resume: true»)", cp.in())
	return false
}

// returnTarget parses the return: of a visit, a node of the holder's flow.
func (p *parser) returnTarget(v *yaml.Node) (Target, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || v.Value == "" {
		p.errorf(v, "«return» vuoto: scrivi l'id di un nodo di questo percorso, o togli «return» per tornare a questo nodo")
		return Target{}, false
	}
	if strings.Contains(v.Value, ":") {
		p.errorf(v, "«return» «%s» non valido: una visita torna a un nodo di questo percorso, scrivi solo l'id del nodo", v.Value)
		return Target{}, false
	}
	if !isID(v.Value) {
		p.errorf(v, "«return» «%s» non valido: scrivi l'id di un nodo (lettere minuscole, cifre e trattini)", v.Value)
		return Target{}, false
	}
	return Target{Node: v.Value, Pos: p.pos(v)}, true
}

// target parses "node" or "flow:node". The flow is filled in by Validate.
func (p *parser) target(v *yaml.Node) (Target, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || v.Value == "" {
		p.errorf(v, "destinazione mancante: scrivi l'id di un nodo o percorso:nodo")
		return Target{}, false
	}
	t := Target{Pos: p.pos(v)}
	if fl, nd, ok := strings.Cut(v.Value, ":"); ok {
		t.Flow, t.Node = fl, nd
	} else {
		t.Node = v.Value
	}
	if (t.Flow != "" && !isID(t.Flow)) || !isID(t.Node) || (strings.Contains(v.Value, ":") && t.Flow == "") {
		p.errorf(v, "destinazione «%s» non valida: scrivi «nodo» o «percorso:nodo»", v.Value)
		return Target{}, false
	}
	return t, true
}
