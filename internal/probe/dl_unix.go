//go:build unix

package probe

/*
#cgo linux LDFLAGS: -ldl
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

typedef unsigned long sp_rv;
typedef sp_rv (*sp_get_function_list)(void **);

// sp_check_loadable dlopens path and calls its C_GetFunctionList. It
// returns 0 when all works, 1 when dlopen fails (err gets dlerror's text),
// 2 when the symbol is missing, 3 when C_GetFunctionList fails (*rv gets
// its return value) or returns no list. A module that works stays loaded,
// so that the binding's own dlopen does not load it (and its
// dependencies) a second time.
static int sp_check_loadable(const char *path, char *err, size_t errlen, sp_rv *rv) {
	void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
	if (h == NULL) {
		const char *e = dlerror();
		size_t i = 0;
		if (e != NULL) {
			for (; e[i] != 0 && i + 1 < errlen; i++) err[i] = e[i];
		}
		err[i] = 0;
		return 1;
	}
	sp_get_function_list get = (sp_get_function_list)dlsym(h, "C_GetFunctionList");
	int rc = 0;
	if (get == NULL) {
		rc = 2;
	} else {
		void *list = NULL;
		*rv = get(&list);
		if (*rv != 0 || list == NULL) rc = 3;
	}
	if (rc != 0) dlclose(h);
	return rc;
}

// sp_isolate_stdout points fd 1 at fd 2 and returns a new descriptor for
// the old stdout, or -1. The new descriptor is close-on-exec: a helper
// program the module starts does not hold the report open.
static int sp_isolate_stdout(void) {
	int fd = fcntl(1, F_DUPFD_CLOEXEC, 3);
	if (fd < 0) return -1;
	if (dup2(2, 1) < 0) { close(fd); return -1; }
	return fd;
}
*/
import "C"

import (
	"bytes"
	"errors"
	"os"
	"unsafe"

	"github.com/sportello/sportello/internal/token"
)

// checkLoadable tells a file that is not a library, a library that does
// not load (wrong architecture, missing dependency) and a library that is
// not a PKCS#11 module apart, before the binding hides why.
func checkLoadable(path string) *token.Fault {
	if !looksLikeLibrary(path) {
		return &token.Fault{Kind: token.FaultNotLibrary}
	}
	if f := archFault(path, "che i pacchetti del produttore installano di solito in /usr/lib o /usr/lib64"); f != nil {
		return f
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var buf [512]C.char
	var rv C.sp_rv
	switch C.sp_check_loadable(cpath, &buf[0], C.size_t(len(buf)), &rv) {
	case 1:
		return &token.Fault{Kind: token.FaultLoad, Call: "dlopen", Detail: C.GoString(&buf[0])}
	case 2:
		return &token.Fault{Kind: token.FaultNotPKCS11, Call: "dlsym"}
	case 3:
		return &token.Fault{Kind: token.FaultCall, Call: "C_GetFunctionList", Error: token.NewCallError("C_GetFunctionList", uint(rv), "")}
	}
	return nil
}

// looksLikeLibrary reports whether the file starts like an ELF or Mach-O
// binary.
func looksLikeLibrary(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	if _, err := f.Read(magic[:]); err != nil {
		return false
	}
	for _, m := range [][]byte{
		{0x7f, 'E', 'L', 'F'},
		{0xfe, 0xed, 0xfa, 0xce}, {0xce, 0xfa, 0xed, 0xfe}, // Mach-O 32
		{0xfe, 0xed, 0xfa, 0xcf}, {0xcf, 0xfa, 0xed, 0xfe}, // Mach-O 64
		{0xca, 0xfe, 0xba, 0xbe}, // Mach-O universal
	} {
		if bytes.Equal(magic[:], m) {
			return true
		}
	}
	return false
}

// IsolateStdout keeps whatever a module prints away from the report: it
// points the process's stdout at stderr and returns a file for the
// original stdout, where the report goes.
func IsolateStdout() (*os.File, error) {
	fd := C.sp_isolate_stdout()
	if fd < 0 {
		return nil, errors.New("dup/dup2 di stdout non riuscito")
	}
	return os.NewFile(uintptr(fd), "report"), nil
}
