package flow

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sportello/sportello/internal/check"
)

// File is one flow file to load: a display name for messages and its bytes.
type File struct {
	Name string
	Data []byte
}

// Load parses and validates files as one set. The set holds every flow that
// could be parsed, even when there are problems, so that a linter can still
// list them; callers that walk flows must refuse a set with problems.
//
// The files are parsed concurrently, one goroutine per processor (YAML
// decoding is most of the cost of a start-up); the result does not depend
// on the order they finish in.
func Load(files []File, reg check.Registry) (*Set, Problems) {
	parsed := make([]*Flow, len(files))
	found := make([]Problems, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(files), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				parsed[i], found[i] = Parse(files[i].Name, files[i].Data)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	var ps Problems
	flows := make([]*Flow, 0, len(files))
	for i := range files {
		ps = append(ps, found[i]...)
		if parsed[i] != nil {
			flows = append(flows, parsed[i])
		}
	}
	ps = append(ps, Validate(flows, reg)...)
	ps.sort()
	return newSet(flows), ps
}

// LoadPaths reads the flow files of paths (see ReadPaths) and loads them as
// one set. A set with problems is not returned: the problems are the error
// (a Problems, one per line).
func LoadPaths(paths []string, reg check.Registry) (*Set, error) {
	files, err := ReadPaths(paths)
	if err != nil {
		return nil, err
	}
	return loadValid(files, reg)
}

// LoadFS is LoadPaths for the flow files at the top of fsys (see ReadFS).
func LoadFS(fsys fs.FS, prefix string, reg check.Registry) (*Set, error) {
	files, err := ReadFS(fsys, prefix)
	if err != nil {
		return nil, err
	}
	return loadValid(files, reg)
}

func loadValid(files []File, reg check.Registry) (*Set, error) {
	set, ps := Load(files, reg)
	if len(ps) > 0 {
		return nil, ps
	}
	return set, nil
}

// IsFlowFile reports whether name looks like a flow file (.yaml or .yml).
func IsFlowFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// ReadFS reads every flow file at the top of fsys, naming each prefix/name.
func ReadFS(fsys fs.FS, prefix string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || !IsFlowFile(e.Name()) {
			continue
		}
		data, err := readLimited(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: path.Join(prefix, e.Name()), Data: data})
	}
	return files, nil
}

// ReadPaths reads the flow files named by paths: files are read as given,
// directories contribute their *.yaml and *.yml files (not recursively).
func ReadPaths(paths []string) ([]File, error) {
	var files []File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, italianPathError(err))
		}
		if !st.IsDir() {
			data, err := readLimited(os.DirFS(filepath.Dir(p)), filepath.Base(p))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, italianPathError(err))
			}
			files = append(files, File{Name: p, Data: data})
			continue
		}
		fsFiles, err := ReadFS(os.DirFS(p), p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, italianPathError(err))
		}
		if len(fsFiles) == 0 {
			return nil, fmt.Errorf("%s: la cartella non contiene file .yaml", p)
		}
		files = append(files, fsFiles...)
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// readLimited reads at most MaxFileSize+1 bytes, so that a huge file is
// refused by Parse without being read whole.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

func italianPathError(err error) error {
	switch {
	case os.IsNotExist(err):
		return fmt.Errorf("file o cartella inesistente")
	case os.IsPermission(err):
		return fmt.Errorf("permesso negato")
	}
	return err
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
