package flow

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"slices"

	"github.com/sportello/sportello/internal/check"
)

// A snapshot is a set already loaded and validated, stored as gob with
// the key of what it was loaded from: the flow files, the check registry
// and the fact keys. Reading the shipped flows from their snapshot takes
// a fraction of a millisecond where parsing their YAML takes several, and
// the YAML stays the only source: a snapshot whose key does not match the
// files (a flow edited, a check renamed) is ignored and the YAML is read.
// snapshot_test.go fails when the shipped snapshot is stale or reads
// back anything but what the YAML loads into.

// snapshotFormat changes whenever the loaded types change shape, so that
// an old snapshot never fills new fields with zeros. The snapshot test
// catches a forgotten change: it compares what the snapshot holds with
// what the YAML loads into.
const snapshotFormat = "sportello-flow-snapshot-1"

type snapshot struct {
	Key   [sha256.Size]byte
	Flows []*Flow
}

// SnapshotKey identifies a set loaded from files against reg.
func SnapshotKey(files []File, reg check.Names) [sha256.Size]byte {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte(snapshotFormat))
	for _, names := range [][]string{reg, factNames} {
		sorted := slices.Sorted(slices.Values(names))
		for _, n := range sorted {
			field([]byte(n))
		}
		field(nil)
	}
	for _, f := range files {
		field([]byte(f.Name))
		field(f.Data)
	}
	var key [sha256.Size]byte
	copy(key[:], h.Sum(nil))
	return key
}

// MakeSnapshot loads files against reg and returns the snapshot of the
// set; a set with problems has none.
func MakeSnapshot(files []File, reg check.Names) ([]byte, error) {
	set, ps := Load(files, reg)
	if len(ps) > 0 {
		return nil, ps
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(snapshot{Key: SnapshotKey(files, reg), Flows: set.Flows}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// LoadSnapshot is Load for files against reg, from snap when it is the
// snapshot of exactly these files and this registry (no problems, then:
// only a valid set has a snapshot); otherwise, or when snap does not
// decode, from the files themselves.
func LoadSnapshot(files []File, reg check.Names, snap []byte) (*Set, Problems) {
	if set := ReadSnapshot(files, reg, snap); set != nil {
		return set, nil
	}
	return Load(files, reg)
}

// ReadSnapshot is the set snap holds when it is the snapshot of exactly
// files and reg, else nil.
func ReadSnapshot(files []File, reg check.Names, snap []byte) *Set {
	if len(snap) == 0 {
		return nil
	}
	var s snapshot
	if err := gob.NewDecoder(bytes.NewReader(snap)).Decode(&s); err != nil || s.Key != SnapshotKey(files, reg) || len(s.Flows) == 0 {
		return nil
	}
	for _, f := range s.Flows {
		if f == nil || f.Nodes == nil {
			return nil
		}
	}
	return newSet(s.Flows)
}
