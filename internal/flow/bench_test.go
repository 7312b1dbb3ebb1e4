package flow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flowgen"
)

func TestGeneratedFlowIsValid(t *testing.T) {
	for _, n := range []int{10, 1000} {
		set, ps := Load([]File{{Name: "grande.yaml", Data: flowgen.Generate(n)}}, check.Known)
		if len(ps) > 0 {
			t.Fatalf("n=%d: %s", n, ps.Error())
		}
		if got := set.NodeCount(); got != n {
			t.Fatalf("n=%d: loaded %d nodes", n, got)
		}
	}
}

// benchmarkLoad loads and validates a generated flow of n nodes. Beside
// the wall time it reports the process's CPU time per load (cpu-ms/op,
// garbage collection included), which other work on the machine does not
// inflate.
func benchmarkLoad(b *testing.B, n int) {
	data := flowgen.Generate(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	c0, ok := cpuTime()
	for b.Loop() {
		_, ps := Load([]File{{Name: "grande.yaml", Data: data}}, check.Known)
		if len(ps) > 0 {
			b.Fatal(ps.Error())
		}
	}
	if c1, _ := cpuTime(); ok {
		b.ReportMetric(float64(c1-c0)/float64(b.N)/1e6, "cpu-ms/op")
	}
}

func BenchmarkLoad1000(b *testing.B)  { benchmarkLoad(b, 1000) }
func BenchmarkLoad10000(b *testing.B) { benchmarkLoad(b, 10000) }
func BenchmarkLoad20000(b *testing.B) { benchmarkLoad(b, 20000) }

// FuzzParse: no input makes the loader panic or report a problem without a
// file and line; whatever parses cleanly also validates without panicking.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{brokenDir, "../../testdata/flows/good", "../../flows"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add(flowgen.Generate(20))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, ps := Parse("fuzz.yaml", data)
		for _, p := range ps {
			if p.File != "fuzz.yaml" || p.Line < 1 || p.Col < 1 || p.Msg == "" {
				t.Fatalf("malformed problem %+v", p)
			}
		}
		if fl != nil {
			Validate([]*Flow{fl}, check.Known)
			var sb strings.Builder
			_ = fl.Mermaid(&sb)
			_ = fl.Dot(&sb)
		}
	})
}
