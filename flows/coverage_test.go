package flows

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/flow"
)

// coverageFile lists every passage ID of the source documents (a copy of
// ../shared/seeds/COVERAGE.md kept in the repository).
const coverageFile = "../testdata/coverage.txt"

// coverageMD is the original list, present only in the development set-up.
const coverageMD = "../../shared/seeds/COVERAGE.md"

// requiredNodes are the nodes other code points users at (the diagnostics'
// Result.Node, the cross-flow gotos): they must exist with these ids. The
// value is the check that has run when the diagnostics send a user there,
// used by TestFactsFollowTheirCheck.
var requiredNodes = map[string]string{
	"firma:non-riconosciuto":        "token.present",
	"firma:pin-bloccato":            "token.pin",
	"firma:pin-ultimo-tentativo":    "token.pin",
	"firma:puk-bloccato":            "token.puk",
	"firma:certificato-scaduto":     "token.certificate",
	"firma:certificato-in-scadenza": "token.certificate",
	"firma:cns":                     "token.cns",
	"installazione:inizio":          "token.module",
	"spid:otp":                      "",
	// The triage of token.present and the smart-card, USB and restart
	// checks (check.StationNodes).
	"firma:servizio-smartcard":     "token.present",
	"firma:lettore-vuoto":          "token.present",
	"firma:carta-non-riconosciuta": "token.present",
	"firma:usb-senza-driver":       "token.present",
	"firma:collegamento":           "token.present",
	"firma:non-inizializzato":      "token.present",
	"installazione:passo-5":        "workstation.reboot",
	// The software, certificate-store and browser checks
	// (check.StationSoftNodes).
	"installazione:passo-1":       "workstation.obsolete",
	"installazione:passo-2":       "workstation.gosign",
	"installazione:passo-4":       "workstation.drivers",
	"installazione:modulo-errore": "workstation.drivers",
	"installazione:passo-6":       "workstation.certstore",
	"installazione:firefox":       "workstation.browsers",
}

func loadEmbedded(t *testing.T) *flow.Set {
	t.Helper()
	files, err := flow.ReadFS(FS, "flows")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no embedded flow files")
	}
	set, ps := flow.Load(files, check.Known)
	for _, p := range ps {
		t.Errorf("lint: %s", p)
	}
	if len(ps) > 0 {
		t.FailNow()
	}
	return set
}

var idLine = regexp.MustCompile(`^[A-Z]+-[0-9]+(\.[0-9]+)*$`)

// readIDs reads a coverage list: one ID per line, # comments and blank
// lines ignored. Malformed and repeated IDs are errors.
func readIDs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !idLine.MatchString(line) {
			return nil, fmt.Errorf("%s:%d: %q is not a coverage ID", path, n, line)
		}
		if seen[line] {
			return nil, fmt.Errorf("%s:%d: %s listed twice", path, n, line)
		}
		seen[line] = true
		ids = append(ids, line)
	}
	return ids, sc.Err()
}

// coverageProblems reports every ID of ids that no node cites, and every
// cited ID that is not in ids.
func coverageProblems(set *flow.Set, ids []string) []string {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	cited := map[string][]string{}
	for _, f := range set.Flows {
		for _, nid := range f.NodeIDs {
			for _, src := range f.Nodes[nid].Source {
				cited[src] = append(cited[src], f.ID+":"+nid)
			}
		}
	}
	var out []string
	for _, id := range ids {
		if len(cited[id]) == 0 {
			out = append(out, id+" is cited by no node")
		}
	}
	var extra []string
	for id, where := range cited {
		if !want[id] {
			extra = append(extra, fmt.Sprintf("%s is cited by %s but is not in the coverage list", id, strings.Join(where, ", ")))
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// missingNodes reports the flow:node ids that do not exist in set.
func missingNodes(set *flow.Set, ids []string) []string {
	var out []string
	for _, id := range ids {
		fl, nd, _ := strings.Cut(id, ":")
		if set.Node(fl, nd) == nil {
			out = append(out, id+" does not exist")
		}
	}
	return out
}

// factChecks names the checks that report each fact a text may quote:
// any of them having run makes the fact known.
func factChecks(key string) []string {
	if slices.Contains(check.StationFacts, key) {
		// Every workstation result of W1's block carries them, and so does
		// token.present when its triage used them.
		return []string{"token.present", "workstation.pcsc", "workstation.usb", "workstation.reboot", "workstation.clock"}
	}
	switch key {
	case check.FactCertsMissing: // found by that check alone
		return []string{"workstation.certstore"}
	case check.FactFirefoxMissing:
		return []string{"workstation.browsers"}
	}
	if slices.Contains(check.StationSoftFacts, key) {
		// The other software facts: every software, certificate-store and
		// browser check carries all of them that are known.
		return []string{"workstation.obsolete", "workstation.gosign", "workstation.drivers", "workstation.certstore", "workstation.browsers"}
	}
	if name := factCheck(key); name != "" {
		return []string{name}
	}
	return nil
}

// factCheck names the check that reports each fact a text may quote.
func factCheck(key string) string {
	switch {
	case key == "module.path":
		return "token.module"
	case strings.HasPrefix(key, "token."):
		return "token.present"
	case key == "pin.state":
		return "token.pin"
	case key == "puk.state":
		return "token.puk"
	case strings.HasPrefix(key, "cert."):
		return "token.certificate"
	case strings.HasPrefix(key, "cns."):
		return "token.cns"
	}
	return ""
}

var factRef = regexp.MustCompile(`\{\{\s*([a-z._]+)\s*\}\}`)

// factProblems reports every {{fact}} quoted by a node (in its text, steps,
// choices or OS variants) that some walk can
// reach before the check reporting that fact has run. A walk starts at a
// flow's start with no check run, or at an entry of entries (flow:node →
// the check that has run when another part of the program sends the user
// there). It is a must-analysis over the graph: the checks guaranteed to
// have run at a node are the intersection, over its incoming edges, of
// those guaranteed at the source plus the source's own check.
func factProblems(set *flow.Set, entries map[string]string) []string {
	bit := map[string]uint{}
	for i, name := range check.Known {
		bit[name] = uint(i)
	}
	all := uint64(1)<<len(check.Known) - 1
	type edge struct {
		from, to string
		adds     uint64
	}
	var edges []edge
	in := map[string]uint64{}
	for _, f := range set.Flows {
		for _, nid := range f.NodeIDs {
			n := f.Nodes[nid]
			id := f.ID + ":" + nid
			in[id] = all
			for _, c := range n.Choices {
				if c.Resume { // back to a visit's return point: its own edge below
					continue
				}
				edges = append(edges, edge{id, c.Goto.Flow + ":" + c.Goto.Node, 0})
				if c.Visit {
					// Back from the visit: only what had run before it is
					// sure to have run (the visit may take any path).
					edges = append(edges, edge{id, c.Return.Flow + ":" + c.Return.Node, 0})
				}
			}
			for _, t := range n.Outcomes {
				edges = append(edges, edge{id, t.Flow + ":" + t.Node, 1 << bit[n.Check]})
			}
			if n.Type == flow.Checklist {
				// Its run reports every check it lists, before it goes on
				// or a problem leads to its node (a visit back to it).
				var ran uint64
				for _, name := range n.ChecklistNames() {
					ran |= 1 << bit[name]
				}
				edges = append(edges, edge{id, n.Next.Flow + ":" + n.Next.Node, ran})
				for _, name := range n.ChecklistNames() {
					for _, t := range n.Problems[name] {
						edges = append(edges, edge{id, t.Flow + ":" + t.Node, ran})
					}
					for _, ref := range check.NodesOf(name) {
						edges = append(edges, edge{id, ref, ran})
					}
				}
			}
		}
	}
	entry := map[string]uint64{}
	for _, f := range set.Flows {
		entry[f.ID+":"+f.Start] = 0
	}
	for id, name := range entries {
		var m uint64
		if name != "" {
			m = 1 << bit[name]
		}
		if old, ok := entry[id]; ok {
			m &= old
		}
		entry[id] = m
	}
	for id, m := range entry {
		in[id] = m
	}
	for changed := true; changed; {
		changed = false
		for _, e := range edges {
			v := in[e.to] & (in[e.from] | e.adds)
			if v != in[e.to] {
				in[e.to] = v
				changed = true
			}
		}
	}
	var out []string
	for _, f := range set.Flows {
		for _, nid := range f.NodeIDs {
			n := f.Nodes[nid]
			texts := append([]string{n.Title, n.Text}, n.Steps...)
			for _, c := range n.Choices {
				texts = append(texts, c.Label)
			}
			for _, v := range n.OS {
				texts = append(append(texts, v.Text), v.Steps...)
			}
			for _, m := range factRef.FindAllStringSubmatch(strings.Join(texts, "\n"), -1) {
				if slices.Contains(config.FactKeys, m[1]) {
					continue // the office's configuration: known from the start
				}
				names := factChecks(m[1])
				if len(names) == 0 {
					out = append(out, fmt.Sprintf("%s:%s quotes {{%s}}, which no check reports", f.ID, nid, m[1]))
					continue
				}
				var mask uint64
				for _, name := range names {
					mask |= 1 << bit[name]
				}
				if in[f.ID+":"+nid]&mask == 0 {
					out = append(out, fmt.Sprintf("%s:%s quotes {{%s}}, but some walk reaches it before %s has run", f.ID, nid, m[1], strings.Join(names, " or ")))
				}
			}
		}
	}
	return out
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestEmbeddedFlowsLintClean(t *testing.T) {
	set := loadEmbedded(t)
	want := []string{"autodiagnosi", "firma", "gosign", "installazione", "pec", "spid"}
	var got []string
	for _, f := range set.Flows {
		got = append(got, f.ID)
	}
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("embedded flows = %v, want %v", got, want)
	}
	if set.Flows[0].ID != "autodiagnosi" {
		t.Errorf("first flow on the home screen = %s, want autodiagnosi", set.Flows[0].ID)
	}
}

func TestEveryCoverageIDIsCited(t *testing.T) {
	set := loadEmbedded(t)
	ids, err := readIDs(coverageFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 56 {
		t.Errorf("%s lists %d IDs, COVERAGE.md has 56", coverageFile, len(ids))
	}
	for _, p := range coverageProblems(set, ids) {
		t.Error(p)
	}
}

// TestCoverageListMatchesSeeds compares the copy with the original list when
// the shared seeds are beside the repository (the development set-up).
func TestCoverageListMatchesSeeds(t *testing.T) {
	data, err := os.ReadFile(coverageMD)
	if err != nil {
		t.Skipf("original coverage list not available: %v", err)
	}
	var orig []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([A-Z]+-[0-9]+(?:\.[0-9]+)*) \|`).FindAllStringSubmatch(string(data), -1) {
		orig = append(orig, m[1])
	}
	ids, err := readIDs(coverageFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, " ") != strings.Join(orig, " ") {
		t.Errorf("%s differs from %s:\n got %v\nwant %v", coverageFile, coverageMD, ids, orig)
	}
}

func TestRequiredNodesExist(t *testing.T) {
	set := loadEmbedded(t)
	for _, p := range missingNodes(set, keysOf(requiredNodes)) {
		t.Error(p)
	}
	// gosign reuses the SPID advice for an OTP that does not arrive.
	reused := false
	for _, n := range set.Flow("gosign").Nodes {
		for _, c := range n.Choices {
			if c.Goto.Flow == "spid" && c.Goto.Node == "otp" {
				reused = true
			}
		}
	}
	if !reused {
		t.Error("gosign never goes to spid:otp")
	}
	// Every node the diagnostics point at is in the list above, so that it
	// is checked here and by TestFactsFollowTheirCheck.
	for _, n := range append(append(append([]string{}, check.TokenNodes...), check.StationNodes...), check.StationSoftNodes...) {
		if _, ok := requiredNodes[n]; !ok {
			t.Errorf("the diagnostics point at %s, which requiredNodes does not list", n)
		}
	}
}

func TestFactsFollowTheirCheck(t *testing.T) {
	set := loadEmbedded(t)
	for _, p := range factProblems(set, requiredNodes) {
		t.Error(p)
	}
}

// The checks above must be able to fail: run them on a small set with the
// faults they look for.
func TestCheckersFindFaults(t *testing.T) {
	src := `id: prova
title: Prova
description: Percorso di prova
start: domanda
nodes:
  domanda:
    type: question
    title: Domanda
    source: [PEC-15, XYZ-9]
    choices:
      - label: Con controllo
        goto: controllo
      - label: Senza controllo
        goto: certificato
  controllo:
    type: check
    title: Controllo
    check: token.pin
    outcomes:
      other: certificato
  certificato:
    type: end
    result: info
    title: Fine
    text: PIN {{pin.state}}, scadenza {{cert.not_after}}, ufficio {{ufficio.telefono}}.
`
	set, ps := flow.Load([]flow.File{{Name: "prova.yaml", Data: []byte(src)}}, check.Known)
	if len(ps) > 0 {
		t.Fatalf("fixture does not lint: %v", ps)
	}

	got := coverageProblems(set, []string{"PEC-15", "PEC-16"})
	want := []string{
		"PEC-16 is cited by no node",
		"XYZ-9 is cited by prova:domanda but is not in the coverage list",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("coverageProblems = %q, want %q", got, want)
	}

	got = missingNodes(set, []string{"prova:domanda", "prova:nessuno", "altro:domanda"})
	want = []string{"prova:nessuno does not exist", "altro:domanda does not exist"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("missingNodes = %q, want %q", got, want)
	}

	// {{pin.state}} is reachable without the PIN check ("Senza controllo"),
	// {{cert.not_after}} without any certificate check.
	got = factProblems(set, nil)
	want = []string{
		"prova:certificato quotes {{pin.state}}, but some walk reaches it before token.pin has run",
		"prova:certificato quotes {{cert.not_after}}, but some walk reaches it before token.certificate has run",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("factProblems = %q, want %q", got, want)
	}
	// Entering at the end node after both checks have run is fine only
	// if every other way in is fine too: still two problems here.
	if got := factProblems(set, map[string]string{"prova:certificato": "token.certificate"}); len(got) != 2 {
		t.Errorf("factProblems with an entry = %q, want 2 problems", got)
	}
}

func TestReadIDsRefusesBadLines(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"bad.txt": "# header\nPEC-15\nnot an id\n",
		"dup.txt": "PEC-15\nPEC-15\n",
	} {
		path := dir + "/" + name
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readIDs(path); err == nil {
			t.Errorf("readIDs(%s) accepted %q", name, body)
		}
	}
}
