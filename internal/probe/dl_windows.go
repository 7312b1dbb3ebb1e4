package probe

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/sportello/sportello/internal/token"
)

// checkLoadable tells apart, before the binding hides why (its
// LoadLibrary only returns NULL): a file that is not a DLL, a 32-bit
// driver (read from the PE header, without loading it), a DLL that
// Windows refuses to load (a missing dependency, a blocked signature: the
// error code in Italian), a DLL that is not a PKCS#11 module, and a
// C_GetFunctionList that fails. A module that works stays loaded, so that
// the binding's LoadLibrary finds it and does not load it again.
func checkLoadable(path string) *token.Fault {
	if !isPE(path) {
		return &token.Fault{Kind: token.FaultNotLibrary}
	}
	sys, err := windows.GetSystemDirectory()
	if err != nil {
		sys = `C:\Windows\System32`
	}
	where := "che il programma di installazione del produttore mette in " + sys +
		" (in " + filepath.Join(filepath.Dir(sys), "SysWOW64") + " ci sono quelli a 32 bit)"
	if f := archFault(path, where); f != nil {
		return f
	}
	flags := uintptr(0)
	if filepath.IsAbs(path) {
		// Its dependencies from its own folder first, as the vendor installed them.
		flags = windows.LOAD_WITH_ALTERED_SEARCH_PATH
	}
	h, err := windows.LoadLibraryEx(path, 0, flags)
	if err != nil {
		return &token.Fault{Kind: token.FaultLoad, Call: "LoadLibrary", Detail: windowsLoadError(errnoOf(err))}
	}
	get, err := windows.GetProcAddress(h, "C_GetFunctionList")
	if err != nil {
		windows.FreeLibrary(h)
		return &token.Fault{Kind: token.FaultNotPKCS11, Call: "GetProcAddress"}
	}
	var list uintptr
	r, _, _ := syscall.SyscallN(get, uintptr(unsafe.Pointer(&list)))
	if rv := uint32(r); rv != 0 || list == 0 { // CK_RV is 32 bits on Windows
		windows.FreeLibrary(h)
		return &token.Fault{Kind: token.FaultCall, Call: "C_GetFunctionList", Error: token.NewCallError("C_GetFunctionList", uint(rv), "")}
	}
	return nil
}

func errnoOf(err error) uint32 {
	var e syscall.Errno
	if errors.As(err, &e) {
		return uint32(e)
	}
	return 0
}

// isPE reports whether the file starts like a Windows executable image
// ("MZ", then a PE header where the DOS header says).
func isPE(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var h [64]byte
	if _, err := f.ReadAt(h[:], 0); err != nil || h[0] != 'M' || h[1] != 'Z' {
		return false
	}
	off := int64(h[60]) | int64(h[61])<<8 | int64(h[62])<<16 | int64(h[63])<<24
	var sig [4]byte
	if _, err := f.ReadAt(sig[:], off); err != nil {
		return false
	}
	return sig == [4]byte{'P', 'E', 0, 0}
}

// IsolateStdout keeps whatever a module prints away from the report, as
// dup2 does on Unix: it returns a duplicate of the original standard
// output for the report, then points the process's standard output
// handle (SetStdHandle, which a module's GetStdHandle then sees), the
// descriptor 1 of every C runtime already loaded (msvcrt.dll, which the
// mingw-built sportello.exe uses, and ucrtbase.dll; one loaded later takes
// the new handle when it starts) and os.Stdout at standard error.
func IsolateStdout() (*os.File, error) {
	self := windows.CurrentProcess()
	out, err := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE)
	if err != nil || out == 0 || out == windows.InvalidHandle {
		return nil, errors.New("nessuno standard output")
	}
	errh, err := windows.GetStdHandle(windows.STD_ERROR_HANDLE)
	if err != nil || errh == 0 || errh == windows.InvalidHandle {
		return nil, errors.New("nessuno standard error")
	}
	var report windows.Handle
	if err := windows.DuplicateHandle(self, out, self, &report, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
		return nil, err
	}
	if err := windows.SetStdHandle(windows.STD_OUTPUT_HANDLE, errh); err != nil {
		windows.CloseHandle(report)
		return nil, err
	}
	for _, crt := range []string{"msvcrt.dll", "ucrtbase.dll"} {
		crtDup2(crt, 2, 1)
	}
	os.Stdout = os.Stderr
	return os.NewFile(uintptr(report), "report"), nil
}

// crtDup2 calls _dup2(from, to) in a C runtime DLL if it is loaded (it is
// not loaded here just for this).
func crtDup2(dll string, from, to int) {
	name, err := windows.UTF16PtrFromString(dll)
	if err != nil {
		return
	}
	var h windows.Handle
	if windows.GetModuleHandleEx(windows.GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, name, &h) != nil || h == 0 {
		return
	}
	dup2, err := windows.GetProcAddress(h, "_dup2")
	if err != nil {
		return
	}
	syscall.SyscallN(dup2, uintptr(from), uintptr(to))
}
