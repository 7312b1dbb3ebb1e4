package token

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"runtime"
)

// ProcessArch is this process's architecture, as ImageArch names them
// (GOARCH's words), and its word size.
func ProcessArch() (arch string, bits int) {
	switch runtime.GOARCH {
	case "amd64":
		return "amd64", 64
	case "arm64":
		return "arm64", 64
	case "386":
		return "386", 32
	case "arm":
		return "arm", 32
	}
	return runtime.GOARCH, 64
}

// ArchName is arch (as ImageArch names it) in Italian words.
func ArchName(arch string) string {
	switch arch {
	case "amd64":
		return "x86-64 (Intel o AMD a 64 bit)"
	case "arm64":
		return "ARM a 64 bit"
	case "386":
		return "x86 a 32 bit"
	case "arm":
		return "ARM a 32 bit"
	}
	return arch
}

// ImageArch reads the word size and architecture of an ELF, PE or Mach-O
// file from its header, without loading it: "amd64", "arm64", "386",
// "arm" (GOARCH's words), or "" for one not named here; ok is false when
// the file is none of the three. A Mach-O universal binary counts as this
// process's when it holds a slice for it. The probe refuses a driver this
// process cannot load before trying; the workstation reports a driver
// installed for the wrong architecture.
func ImageArch(path string) (bits int, arch string, ok bool) {
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		bits = 64
		if f.Class == elf.ELFCLASS32 {
			bits = 32
		}
		switch f.Machine {
		case elf.EM_X86_64:
			arch = "amd64"
		case elf.EM_AARCH64:
			arch = "arm64"
		case elf.EM_386:
			arch = "386"
		case elf.EM_ARM:
			arch = "arm"
		}
		return bits, arch, true
	}
	if f, err := pe.Open(path); err == nil {
		defer f.Close()
		switch f.Machine {
		case pe.IMAGE_FILE_MACHINE_AMD64:
			return 64, "amd64", true
		case pe.IMAGE_FILE_MACHINE_ARM64:
			return 64, "arm64", true
		case pe.IMAGE_FILE_MACHINE_I386:
			return 32, "386", true
		case pe.IMAGE_FILE_MACHINE_ARMNT, pe.IMAGE_FILE_MACHINE_ARM:
			return 32, "arm", true
		}
		if _, is32 := f.OptionalHeader.(*pe.OptionalHeader32); is32 {
			return 32, "", true
		}
		return 64, "", true
	}
	if f, err := macho.Open(path); err == nil {
		defer f.Close()
		return machoArch(f.Cpu)
	}
	if f, err := macho.OpenFat(path); err == nil {
		defer f.Close()
		want, _ := ProcessArch()
		for _, a := range f.Arches {
			if _, arch, _ := machoArch(a.Cpu); arch == want {
				return machoArch(a.Cpu)
			}
		}
		if len(f.Arches) > 0 {
			return machoArch(f.Arches[0].Cpu)
		}
	}
	return 0, "", false
}

func machoArch(cpu macho.Cpu) (int, string, bool) {
	switch cpu {
	case macho.CpuAmd64:
		return 64, "amd64", true
	case macho.CpuArm64:
		return 64, "arm64", true
	case macho.Cpu386:
		return 32, "386", true
	case macho.CpuArm:
		return 32, "arm", true
	}
	return 0, "", false
}
