package diag_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/tokentest"
)

// TestLiveMatchesReport: the results Run emits while it probes are, check
// by check and device by device, those it returns at the end (judged from
// the facts then known, they are the report's), each emitted once; two
// devices, and the workstation of this machine.
func TestLiveMatchesReport(t *testing.T) {
	h := tokentest.NewHSM(t)
	for _, label := range []string{"Prima", "Seconda"} {
		h.InitToken(t, label, "12345678", "87654321")
		h.AddCert(t, label, "12345678", "firma", []byte{1}, tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature}))
	}
	run := diag.NewRunner(options(t, h.Module))
	key := func(r check.Result) string {
		if r.Device == nil {
			return r.Check
		}
		return fmt.Sprintf("%s %s %d", r.Check, r.Device.Module, r.Device.Slot)
	}
	start := time.Now()
	var heard []check.Result
	var at []time.Duration
	out := run.Run(context.Background(), nil, func(r check.Result) { heard = append(heard, r); at = append(at, time.Since(start)) })
	took := time.Since(start)
	if len(heard) != len(out) || len(out) != len(check.Known)+len(check.TokenCheckNames)-1 {
		t.Fatalf("heard %d, returned %d results", len(heard), len(out))
	}
	want := map[string]check.Result{}
	for _, r := range out {
		want[key(r)] = r
	}
	for i, r := range heard {
		w, ok := want[key(r)]
		if !ok || !reflect.DeepEqual(r, w) {
			t.Errorf("emitted %s differs from the report's:\n%+v\n%+v", key(r), r, w)
		}
		delete(want, key(r))
		t.Logf("%6.1f ms %s", float64(at[i].Microseconds())/1000, key(r))
	}
	if len(want) != 0 {
		t.Errorf("never emitted: %v", want)
	}
	t.Logf("run took %v", took)
}
