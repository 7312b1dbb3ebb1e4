package yamlfast

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/flowgen"
)

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
		if !same(t, fmt.Sprintf("flowgen.Generate(%d)", n), flowgen.Generate(n)) {
			t.Errorf("flowgen.Generate(%d): Parse fell back to yaml.v3", n)
		}
	}
}
