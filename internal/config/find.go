package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Source says how a configuration file was found.
type Source string

// The places a configuration comes from, in the order they are tried.
const (
	FromArg    Source = "argomento" // sportello config check FILE
	FromFlag   Source = "--config"
	FromEnv    Source = "SPORTELLO_CONFIG"
	FromUser   Source = "utente"     // os.UserConfigDir()/sportello/config.yaml
	FromSystem Source = "sistema"    // /etc/sportello/config.yaml, %ProgramData%\sportello\config.yaml
	FromExe    Source = "eseguibile" // sportello.yaml beside the executable
)

// Describe says in Italian where a source is.
func (s Source) Describe() string {
	switch s {
	case FromArg:
		return "indicato sulla riga di comando"
	case FromFlag:
		return "indicato con --config"
	case FromEnv:
		return "indicato da SPORTELLO_CONFIG"
	case FromUser:
		return "nella cartella di configurazione dell'utente"
	case FromSystem:
		return "nella configurazione di sistema"
	case FromExe:
		return "accanto al programma"
	}
	return string(s)
}

// Place is one file a configuration may be read from.
type Place struct {
	Path   string
	Source Source
}

// ExeFile is the name of the configuration beside the executable: a
// distinct name, since a USB stick's folder holds other files.
const ExeFile = "sportello.yaml"

// What the search reads, replaceable by the tests.
var (
	userConfigDir = os.UserConfigDir
	executable    = os.Executable
	systemFile    = systemConfigFile // per OS: find_unix.go, find_windows.go
)

// Places lists where a configuration is looked for when neither --config
// nor SPORTELLO_CONFIG names one, in order: the user's, the system's,
// beside the executable.
func Places() []Place {
	var out []Place
	if dir, err := userConfigDir(); err == nil && dir != "" {
		out = append(out, Place{filepath.Join(dir, "sportello", "config.yaml"), FromUser})
	}
	if f := systemFile(); f != "" {
		out = append(out, Place{f, FromSystem})
	}
	if exe, err := executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		out = append(out, Place{filepath.Join(filepath.Dir(exe), ExeFile), FromExe})
	}
	return out
}

// FileError is a configuration file that could not be read. Given is set
// when the file was named (--config, SPORTELLO_CONFIG) rather than found:
// naming a file that does not exist is a usage error.
type FileError struct {
	Place
	Given bool
	Err   error // Italian
}

func (e *FileError) Error() string {
	return fmt.Sprintf("%s: %v (file di configurazione %s)", e.Path, e.Err, e.Source.Describe())
}

// Resolve finds and reads the office configuration: the file named by flag
// (--config), else by getenv("SPORTELLO_CONFIG"), else the first of Places
// that exists. It returns nil and no error when there is none. A file that
// cannot be read is a *FileError, one with problems a Problems: a broken
// configuration is never replaced by a silent default.
func Resolve(flag string, getenv func(string) string) (*Config, error) {
	switch {
	case flag != "":
		return Load(Place{flag, FromFlag}, true)
	case getenv("SPORTELLO_CONFIG") != "":
		return Load(Place{getenv("SPORTELLO_CONFIG"), FromEnv}, true)
	}
	for _, pl := range Places() {
		_, err := os.Stat(pl.Path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return Load(pl, false)
	}
	return nil, nil
}

// Load reads and parses the configuration at pl. given says that the user
// named the file (see FileError).
func Load(pl Place, given bool) (*Config, error) {
	data, err := readLimited(pl.Path)
	if err != nil {
		return nil, &FileError{Place: pl, Given: given, Err: italian(err)}
	}
	c, ps := Parse(pl.Path, data)
	if len(ps) > 0 {
		return nil, ps
	}
	c.Source = pl.Source
	return c, nil
}

// readLimited reads at most MaxSize+1 bytes, so that a huge file is refused
// by Parse without being read whole.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errIsDir
	}
	return io.ReadAll(io.LimitReader(f, MaxSize+1))
}

var errIsDir = errors.New("è una cartella, non un file")

func italian(err error) error {
	switch {
	case errors.Is(err, errIsDir):
		return err
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("file inesistente")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permesso negato")
	}
	return errors.New("file non leggibile")
}
