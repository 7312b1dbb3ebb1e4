package flow

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
)

// generate writes a flow of n nodes shaped like a real one: questions with
// three choices (forward, a skip ahead, back to the start), steps, check
// nodes and an end every tenth node.
func generate(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "id: grande\ntitle: Percorso generato\ndescription: %d nodi\nstart: n0\nnodes:\n", n)
	for i := 0; i < n; i++ {
		next, skip := fmt.Sprintf("n%d", i+1), fmt.Sprintf("n%d", min(i+7, n-1))
		if i == n-1 || i%10 == 9 {
			fmt.Fprintf(&b, "  n%d:\n    type: end\n    result: resolved\n    title: Fine %d\n    text: Risolto al passo %d.\n", i, i, i)
			continue
		}
		switch i % 10 {
		case 3:
			fmt.Fprintf(&b, "  n%d:\n    type: check\n    title: Controllo %d\n    check: token.present\n    outcomes:\n      pass: %s\n      other: %s\n", i, i, next, skip)
		case 5:
			fmt.Fprintf(&b, "  n%d:\n    type: steps\n    title: Passi %d\n    source: [FIRMA-12]\n    steps:\n      - Cambia porta USB.\n      - Reinstalla i driver.\n    choices:\n      - label: Funziona\n        goto: %s\n      - label: Non funziona\n        goto: %s\n", i, i, next, skip)
		default:
			fmt.Fprintf(&b, "  n%d:\n    type: question\n    title: Domanda %d\n    text: |\n      Testo della domanda numero %d con **grassetto**.\n    choices:\n      - label: Avanti\n        goto: %s\n      - label: Salta\n        goto: %s\n      - label: Ricomincia\n        goto: n0\n", i, i, i, next, skip)
		}
	}
	return []byte(b.String())
}

func TestGeneratedFlowIsValid(t *testing.T) {
	for _, n := range []int{10, 1000} {
		set, ps := Load([]File{{Name: "grande.yaml", Data: generate(n)}}, check.Known)
		if len(ps) > 0 {
			t.Fatalf("n=%d: %s", n, ps.Error())
		}
		if got := set.NodeCount(); got != n {
			t.Fatalf("n=%d: loaded %d nodes", n, got)
		}
	}
}

func benchmarkLoad(b *testing.B, n int) {
	data := generate(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_, ps := Load([]File{{Name: "grande.yaml", Data: data}}, check.Known)
		if len(ps) > 0 {
			b.Fatal(ps.Error())
		}
	}
}

func BenchmarkLoad1000(b *testing.B)  { benchmarkLoad(b, 1000) }
func BenchmarkLoad10000(b *testing.B) { benchmarkLoad(b, 10000) }

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
	f.Add(generate(20))
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
