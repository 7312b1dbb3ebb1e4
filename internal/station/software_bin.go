package station

import (
	"errors"
	"io/fs"
	"os"

	"github.com/sportello/sportello/internal/token"
)

// libraryArch reads the architecture of a shared library from its header
// (PE on Windows, ELF on Linux, Mach-O on macOS) without loading it: a
// 32-bit bit4xpki.dll cannot be loaded by the 64-bit sportello, whatever
// the installer said. found is false when nothing is at path; a file
// whose header does not parse gives an Italian error.
func libraryArch(path string) (arch string, found bool, errText string) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, ""
	}
	if err != nil {
		return "", true, "il file non si può aprire"
	}
	if !st.Mode().IsRegular() {
		return "", true, "non è un file"
	}
	_, a, ok := token.ImageArch(path)
	if !ok {
		return "", true, "non è una libreria riconoscibile (intestazione PE, ELF o Mach-O assente)"
	}
	return archWord(a), true, ""
}

// archWord is a GOARCH word as the facts write it.
func archWord(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86-64"
	case "386":
		return "x86"
	case "arm64", "arm":
		return goarch
	}
	return "altro"
}

// driverFile describes the library at path (fsPath: where it is read).
func driverFile(product, path, fsPath string) DriverFile {
	d := DriverFile{Product: product, Path: path}
	d.Arch, d.Found, d.Error = libraryArch(fsPath)
	self, _ := token.ProcessArch()
	d.Mismatch = d.Arch != "" && d.Arch != archWord(self)
	return d
}
