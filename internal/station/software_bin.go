package station

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"errors"
	"io/fs"
	"os"
	"runtime"
)

// libraryArch reads the architecture of a shared library from its header
// (PE on Windows, ELF on Linux, Mach-O on macOS) without loading it: a
// 32-bit bit4xpki.dll cannot be loaded by the 64-bit sportello, whatever
// the installer said. found is false when nothing is at path; a file
// whose header does not parse gives an Italian error.
func libraryArch(path string) (arch string, found bool, errText string) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, ""
	}
	if err != nil {
		return "", true, "il file non si può aprire"
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return "", true, "non è un file"
	}
	if p, err := pe.NewFile(f); err == nil {
		return peArch(p.Machine), true, ""
	}
	if e, err := elf.NewFile(f); err == nil {
		return elfArch(e), true, ""
	}
	if m, err := macho.NewFile(f); err == nil {
		return machoArch(m.Cpu), true, ""
	}
	if _, err := macho.NewFatFile(f); err == nil {
		return "universal", true, ""
	}
	return "", true, "non è una libreria riconoscibile (intestazione PE, ELF o Mach-O assente)"
}

func peArch(m uint16) string {
	switch m {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		return "x86-64"
	case pe.IMAGE_FILE_MACHINE_I386:
		return "x86"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		return "arm64"
	}
	return "altro"
}

func elfArch(e *elf.File) string {
	switch {
	case e.Machine == elf.EM_X86_64 && e.Class == elf.ELFCLASS64:
		return "x86-64"
	case e.Machine == elf.EM_386:
		return "x86"
	case e.Machine == elf.EM_AARCH64:
		return "arm64"
	case e.Machine == elf.EM_ARM:
		return "arm"
	}
	return "altro"
}

func machoArch(c macho.Cpu) string {
	switch c {
	case macho.CpuAmd64:
		return "x86-64"
	case macho.Cpu386:
		return "x86"
	case macho.CpuArm64:
		return "arm64"
	}
	return "altro"
}

// processArch is this program's architecture in libraryArch's words.
func processArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86-64"
	case "386":
		return "x86"
	}
	return runtime.GOARCH
}

// driverFile describes the library at path (fsPath: where it is read).
func driverFile(product, path, fsPath string) DriverFile {
	d := DriverFile{Product: product, Path: path}
	d.Arch, d.Found, d.Error = libraryArch(fsPath)
	d.Mismatch = d.Arch != "" && d.Arch != "universal" && d.Arch != processArch()
	return d
}
