package flow

import (
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/internal/check"
)

var updateSnapshot = flag.Bool("update-snapshot", false, "rewrite flows/flows.snapshot from the YAML")

// TestSnapshot: the shipped snapshot is the snapshot of the shipped YAML
// against today's checks, and reads back exactly what the YAML loads
// into. Run with -update-snapshot after changing a flow, a check name, a fact key
// or the flow types.
func TestSnapshot(t *testing.T) {
	files, err := ReadFS(flows.FS, "flows")
	if err != nil {
		t.Fatal(err)
	}
	if *updateSnapshot {
		data, err := MakeSnapshot(files, check.Known)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../../flows/flows.snapshot", data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Skip("flows.snapshot rewritten: build again to embed it")
	}
	fromYAML, ps := Load(files, check.Known)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	for _, f := range fromYAML.Flows {
		for _, n := range f.Nodes {
			n.idx = 0 // the validator's, not the set's
		}
	}
	fromSnap := ReadSnapshot(files, check.Known, flows.Snapshot)
	if fromSnap == nil {
		t.Fatal("flows.snapshot is stale (the flows, a check or a fact key changed): run go test ./internal/flow -run TestSnapshot -update-snapshot")
	}
	if !reflect.DeepEqual(fromYAML, fromSnap) {
		for i := range fromYAML.Flows {
			a, b := fromYAML.Flows[i], fromSnap.Flows[i]
			for id := range a.Nodes {
				if !reflect.DeepEqual(a.Nodes[id], b.Nodes[id]) {
					t.Errorf("%s:%s reads back differently from the snapshot:\nYAML     %+v\nsnapshot %+v", a.ID, id, *a.Nodes[id], *b.Nodes[id])
				}
			}
		}
		t.Fatal("the snapshot does not hold what the YAML loads into: if the flow types changed, change snapshotFormat and run -update-snapshot")
	}
}

// A snapshot of other files, or of another registry, is not used.
func TestSnapshotKey(t *testing.T) {
	files, err := ReadFS(flows.FS, "flows")
	if err != nil {
		t.Fatal(err)
	}
	edited := append([]File(nil), files...)
	edited[0].Data = append(append([]byte(nil), edited[0].Data...), "\n# modificato\n"...)
	if ReadSnapshot(edited, check.Known, flows.Snapshot) != nil {
		t.Error("a snapshot was used for an edited flow file")
	}
	if ReadSnapshot(files, check.Known[:len(check.Known)-1], flows.Snapshot) != nil {
		t.Error("a snapshot was used with another check registry")
	}
	for _, bad := range [][]byte{nil, []byte("garbage"), flows.Snapshot[:len(flows.Snapshot)/2]} {
		if ReadSnapshot(files, check.Known, bad) != nil {
			t.Errorf("a broken snapshot (%d bytes) was used", len(bad))
		}
	}
	// Load falls back to the YAML: the same set either way.
	set, ps := LoadSnapshot(edited, check.Known, flows.Snapshot)
	if len(ps) > 0 || len(set.Flows) != len(files) {
		t.Errorf("fallback to the YAML: %d flows, %v", len(set.Flows), ps)
	}
}
