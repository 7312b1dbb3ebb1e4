package yamlfast

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generate is a copy of generate() in internal/flow/bench_test.go, so that
// BenchmarkParse reads the very file BenchmarkLoad10000 loads: a flow of n
// nodes shaped like a real one.
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

// repoFiles returns every YAML file of the repository's flows and test data.
func repoFiles(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	for _, root := range []string{"../../flows", "../../testdata"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
				return err
			}
			data, err := os.ReadFile(path)
			files[filepath.ToSlash(path)] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d YAML files", len(files))
	}
	return files
}

// same checks that Parse agrees with yaml.v3 on data; it reports whether
// Parse accepted it.
func same(t *testing.T, name string, data []byte) bool {
	t.Helper()
	got, ok := parse(data)
	if _, pok := Parse(data); pok != ok {
		t.Errorf("%s: Parse and parse disagree", name)
	}
	if !ok {
		return false
	}
	want, err := yamlv3(data)
	if err != nil {
		t.Errorf("%s: Parse accepted what yaml.v3 rejects: %v", name, err)
		return true
	}
	if d := diff(got, want); d != "" {
		t.Errorf("%s: %s", name, d)
	}
	return true
}

// notInSubset lists the repository's YAML files that Parse leaves to
// yaml.v3: each is broken on purpose in a way outside the subset.
var notInSubset = map[string]bool{
	"alias-bomb.yaml": true, // anchors and aliases
	"binary.yaml":     true, // control bytes
	"empty.yaml":      true, // no document
	"multi-doc.yaml":  true, // a second document
	"syntax.yaml":     true, // bad indentation
}

func TestRepoFiles(t *testing.T) {
	for path, data := range repoFiles(t) {
		accepted := same(t, path, data)
		if want := !notInSubset[filepath.Base(path)]; accepted != want {
			t.Errorf("%s: Parse ok=%v, want %v", path, accepted, want)
		}
	}
}

func TestGenerated(t *testing.T) {
	for _, n := range []int{1, 2, 10, 1000, 10000} {
		if !same(t, fmt.Sprintf("generate(%d)", n), generate(n)) {
			t.Errorf("generate(%d): Parse fell back to yaml.v3", n)
		}
	}
}
