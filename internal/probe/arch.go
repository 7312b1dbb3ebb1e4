package probe

import (
	"fmt"
	"runtime"

	"github.com/sportello/sportello/internal/token"
)

// archFault reads the library's header (ELF, PE or Mach-O) without loading
// it and returns a wrong_arch fault when this process cannot load it: a
// 32-bit driver in a 64-bit sportello above all, the commonest mistake on
// Windows (the vendor's 32-bit package, or the DLL from SysWOW64). where
// says where the right one is expected, for the message. It returns nil
// when the file is for this process, or when it cannot tell (the loader
// then has its say).
func archFault(path, where string) *token.Fault {
	bits, arch, ok := token.ImageArch(path)
	if !ok {
		return nil
	}
	want, wantBits := token.ProcessArch()
	switch {
	case bits == 32 && wantBits == 64:
		return &token.Fault{Kind: token.FaultWrongArch, Detail: "driver a 32 bit: serve quello a 64 bit, " + where}
	case arch != "" && arch != want && bits == wantBits && runtime.GOOS != "windows":
		// (On Windows an ARM64 machine runs x64 code and loads hybrid
		// DLLs: there only the 32-bit case is certain.)
		return &token.Fault{Kind: token.FaultWrongArch, Detail: fmt.Sprintf("driver per processori %s: serve quello per %s", token.ArchName(arch), token.ArchName(want))}
	}
	return nil
}
