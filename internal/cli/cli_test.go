package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
)

// run calls Main like the binary does and returns its streams and code.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

var (
	good   = filepath.Join("..", "..", "testdata", "flows", "good")
	broken = filepath.Join("..", "..", "testdata", "flows", "broken")
)

func TestFlowsLint(t *testing.T) {
	if out, errs, code := run(t, "flows", "lint"); code != 0 || out != "" || !strings.Contains(errs, "nessun problema") {
		t.Errorf("lint of the embedded flows: code %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if _, errs, code := run(t, "flows", "lint", good); code != 0 {
		t.Errorf("lint %s: code %d, %s", good, code, errs)
	}
	out, errs, code := run(t, "flows", "lint", filepath.Join(broken, "goto-node.yaml"), filepath.Join(broken, "trap.yaml"))
	if code != 1 {
		t.Errorf("lint of broken files: code %d, want 1", code)
	}
	want := filepath.Join(broken, "goto-node.yaml") + ":13:15: destinazione «fien»"
	if !strings.Contains(out, want) || !strings.Contains(out, "trap.yaml:14:3:") {
		t.Errorf("lint output lacks %q and trap.yaml:14:3:\n%s", want, out)
	}
	if !strings.Contains(errs, "2 problemi in 2 file") {
		t.Errorf("lint summary: %s", errs)
	}
	if _, errs, code := run(t, "flows", "lint", "nessuno.yaml"); code != 1 || !strings.Contains(errs, "nessuno.yaml: file o cartella inesistente") {
		t.Errorf("lint of a missing file: code %d, %s", code, errs)
	}
}

func TestFlowsList(t *testing.T) {
	out, _, code := run(t, "--flows", good, "flows", "list")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") ||
		!strings.HasPrefix(lines[1], "uno ") || !strings.Contains(lines[1], " 4 ") ||
		!strings.HasPrefix(lines[2], "due ") || !strings.Contains(lines[2], " 3 ") {
		t.Errorf("flows list:\n%s", out)
	}
}

func TestFlowsGraph(t *testing.T) {
	out, _, code := run(t, "--flows", good, "flows", "graph", "uno")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, want := range []string{
		"flowchart TD",
		`uno__inizio{"Domanda iniziale"}`,
		`uno__controllo[["Controllo del dispositivo<br/>token.present"]]`,
		`uno__inizio -->|"Vai all'altro percorso"| due__inizio`,
		`uno__controllo -->|"warn/skip/error"| due__fine`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("mermaid lacks %q:\n%s", want, out)
		}
	}
	out, _, code = run(t, "--flows", good, "flows", "graph", "uno", "--format", "dot")
	if code != 0 || !strings.HasPrefix(out, `digraph "uno" {`) || !strings.Contains(out, `"controllo" -> "passi" [label="fail"];`) ||
		!strings.Contains(out, `"due:inizio" [shape=oval, style=dashed];`) {
		t.Errorf("dot (code %d):\n%s", code, out)
	}
	if _, errs, code := run(t, "flows", "graph", "nessuno"); code != 2 || !strings.Contains(errs, "percorso «nessuno» inesistente") {
		t.Errorf("graph of a missing flow: code %d, %s", code, errs)
	}
	if _, errs, code := run(t, "flows", "graph", "pec", "--format", "svg"); code != 2 || !strings.Contains(errs, "formato «svg» sconosciuto") {
		t.Errorf("graph with a bad format: code %d, %s", code, errs)
	}
}

func TestBrokenFlowsDirIsRefused(t *testing.T) {
	_, errs, code := run(t, "--flows", filepath.Join(broken, "dup-flow"), "flows", "list")
	if code != 1 || !strings.Contains(errs, "b.yaml:1:5: id di percorso «doppio» già usato") ||
		!strings.Contains(errs, "i percorsi contengono 1 errore") {
		t.Errorf("code %d, stderr:\n%s", code, errs)
	}
}

func TestUsage(t *testing.T) {
	if out, _, code := run(t, "--version"); code != 0 || out != "sportello dev\n" {
		t.Errorf("--version: %d %q", code, out)
	}
	out, _, code := run(t, "--help")
	if code != 0 || !strings.Contains(out, "Uso:") || !strings.Contains(out, "Comandi:") || strings.Contains(out, "Usage") || strings.Contains(out, "[flags]") {
		t.Errorf("--help is not Italian (code %d):\n%s", code, out)
	}
	if _, errs, code := run(t, "--bogus"); code != 2 || !strings.Contains(errs, "opzione sconosciuta: --bogus") {
		t.Errorf("--bogus: %d %s", code, errs)
	}
	if _, errs, code := run(t, "volare"); code != 2 || !strings.Contains(errs, "sportello:") {
		t.Errorf("unknown command: %d %s", code, errs)
	}
	if out, _, code := run(t, "completion", "bash"); code != 0 || !strings.Contains(out, "bash completion") {
		t.Errorf("completion bash: %d", code)
	}
}

// BenchmarkLoadEmbedded measures what every start pays: reading the
// embedded flows (from their snapshot, when it matches the YAML).
func BenchmarkLoadEmbedded(b *testing.B) {
	a := &app{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.loadFlows(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadEmbeddedYAML is the same set parsed from its YAML, as when
// the snapshot does not match it (and as --flows reads a folder).
func BenchmarkLoadEmbeddedYAML(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		files, err := flow.ReadFS(flows.FS, "flows")
		if err != nil {
			b.Fatal(err)
		}
		if _, ps := flow.Load(files, check.Known); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}
