//go:build unix && cgo

package station

/*
#cgo linux LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Our own prototypes of the four PC/SC calls, loaded with dlopen: no
// build-time dependency on libpcsclite's headers. pcsc-lite (Linux) uses
// unsigned long for DWORD and long for LONG and SCARDCONTEXT, with the
// natural alignment of SCARD_READERSTATE; Apple's PCSC framework uses
// 32-bit integers and packs SCARD_READERSTATE to 1 byte (as ebfe/scard's
// scard_darwin.go notes). Both have MAX_ATR_SIZE 33.
#ifdef __APPLE__
typedef uint32_t sp_dword;
typedef int32_t sp_long;
typedef int32_t sp_context;
#pragma pack(push, 1)
#else
typedef unsigned long sp_dword;
typedef long sp_long;
typedef long sp_context;
#endif
typedef struct {
	const char *reader;
	void *user_data;
	sp_dword current_state;
	sp_dword event_state;
	sp_dword atr_len;
	unsigned char atr[33];
} sp_reader_state;
#ifdef __APPLE__
#pragma pack(pop)
#endif

typedef sp_long (*sp_establish_fn)(sp_dword, const void *, const void *, sp_context *);
typedef sp_long (*sp_release_fn)(sp_context);
typedef sp_long (*sp_list_fn)(sp_context, const char *, char *, sp_dword *);
typedef sp_long (*sp_status_fn)(sp_context, sp_dword, sp_reader_state *, sp_dword);

typedef struct {
	void *handle;
	sp_establish_fn establish;
	sp_release_fn release;
	sp_list_fn list;
	sp_status_fn status;
} sp_lib;

// sp_open loads the library at path and its four calls. It returns 0 on
// success, 1 when dlopen fails (err gets dlerror's text), 2 when a call
// is missing (err gets its name).
static int sp_open(const char *path, sp_lib *lib, char *err, size_t errlen) {
	memset(lib, 0, sizeof *lib);
	lib->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (lib->handle == NULL) {
		const char *e = dlerror();
		if (e == NULL) e = "";
		strncpy(err, e, errlen - 1);
		err[errlen - 1] = 0;
		return 1;
	}
	const char *names[] = {"SCardEstablishContext", "SCardReleaseContext", "SCardListReaders", "SCardGetStatusChange"};
	void *syms[4];
	for (int i = 0; i < 4; i++) {
		syms[i] = dlsym(lib->handle, names[i]);
		if (syms[i] == NULL) {
			strncpy(err, names[i], errlen - 1);
			err[errlen - 1] = 0;
			return 2;
		}
	}
	lib->establish = (sp_establish_fn)syms[0];
	lib->release = (sp_release_fn)syms[1];
	lib->list = (sp_list_fn)syms[2];
	lib->status = (sp_status_fn)syms[3];
	return 0;
}

// The return codes are 32-bit values (0x8010001D...): a negative int32 on
// macOS, a positive long on Linux; both become the same uint32_t.
static uint32_t sp_establish(sp_lib *lib, sp_context *ctx) {
	return (uint32_t)lib->establish(2, NULL, NULL, ctx); // SCARD_SCOPE_SYSTEM
}

static uint32_t sp_release(sp_lib *lib, sp_context ctx) { return (uint32_t)lib->release(ctx); }

static uint32_t sp_list(sp_lib *lib, sp_context ctx, char *buf, uint32_t *len) {
	sp_dword n = *len;
	uint32_t rv = (uint32_t)lib->list(ctx, NULL, buf, &n);
	*len = (uint32_t)n;
	return rv;
}

// sp_states allocates n zeroed reader states (Microsoft's documentation
// asks for zeroed structures), each pointing at its reader's name.
static sp_reader_state *sp_states(const char **names, int n) {
	sp_reader_state *s = calloc((size_t)n, sizeof *s);
	if (s == NULL) return NULL;
	for (int i = 0; i < n; i++) s[i].reader = names[i];
	return s;
}

static uint32_t sp_status(sp_lib *lib, sp_context ctx, sp_reader_state *s, int n) {
	return (uint32_t)lib->status(ctx, 0, s, (sp_dword)n); // timeout 0, every current state SCARD_STATE_UNAWARE
}

static uint32_t sp_event(sp_reader_state *s, int i) { return (uint32_t)s[i].event_state; }
static uint32_t sp_atr_len(sp_reader_state *s, int i) { return (uint32_t)s[i].atr_len; }
static unsigned char *sp_atr(sp_reader_state *s, int i) { return s[i].atr; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// pcscLibraryPaths are the PC/SC libraries tried, in order (tests replace
// them to show a missing library).
var pcscLibraryPaths = pcscLibraries()

func pcscLibraries() []string {
	if runtime.GOOS == "darwin" {
		return []string{"/System/Library/Frameworks/PCSC.framework/PCSC"}
	}
	return []string{"libpcsclite.so.1", "libpcsclite.so"}
}

// ReadPCSC reads the smart-card service in this process: it loads the
// PC/SC library, establishes a context, lists the readers and reads the
// state and ATR of each, calling trace with each call's name just before
// it is made. Never connects to a card, never sends an APDU.
//
// A wedged daemon hangs SCardEstablishContext: run it in a child process
// (sportello __pcsc, see package diag) unless the daemon is trusted.
func ReadPCSC(trace func(call string)) PCSC {
	if trace == nil {
		trace = func(string) {}
	}
	p := PCSC{Readers: []Reader{}}
	var lib C.sp_lib
	var errbuf [512]C.char
	libs := pcscLibraryPaths
	opened := false
	for _, path := range libs {
		p.Library = path
		cpath := C.CString(path)
		trace("dlopen " + path)
		rc := C.sp_open(cpath, &lib, &errbuf[0], C.size_t(len(errbuf)))
		C.free(unsafe.Pointer(cpath))
		if rc == 0 {
			opened = true
			break
		}
		if rc == 2 {
			p.Status, p.Call, p.Detail = PCSCError, "dlsym", "manca "+C.GoString(&errbuf[0])
			return p
		}
		p.Detail = C.GoString(&errbuf[0])
	}
	if !opened {
		p.Status, p.Library, p.Call = PCSCNotInstalled, libs[0], "dlopen"
		return p
	}
	p.Detail = ""
	// The library stays loaded: the child exits right after.
	var ctx C.sp_context
	trace("SCardEstablishContext")
	if rv := uint32(C.sp_establish(&lib, &ctx)); rv != codeSuccess {
		p.callFailed("SCardEstablishContext", rv)
		return p
	}
	defer func() {
		trace("SCardReleaseContext")
		C.sp_release(&lib, ctx)
	}()
	p.Status = PCSCOK
	p.readReaders("SCardListReaders", "SCardGetStatusChange",
		func() ([]string, uint32) { return listReaders(&lib, ctx, trace) },
		func(names []string) ([]Reader, uint32) { return readerStates(&lib, ctx, names, trace) })
	return p
}

// listReaders calls SCardListReaders with a buffer that fits any usual
// list (one round trip to the daemon), and again with the size it asks
// for when that is too small.
func listReaders(lib *C.sp_lib, ctx C.sp_context, trace func(string)) ([]string, uint32) {
	n := C.uint32_t(4096)
	for attempt := 0; attempt < 2; attempt++ {
		buf := C.malloc(C.size_t(n))
		size := n
		trace("SCardListReaders")
		rv := uint32(C.sp_list(lib, ctx, (*C.char)(buf), &size))
		if rv == codeSuccess {
			out := splitMultiString(C.GoBytes(buf, C.int(min(size, n))))
			C.free(buf)
			return out, codeSuccess
		}
		C.free(buf)
		if rv != codeInsufficientBuffer || size <= n || size > maxReaderList {
			return nil, rv
		}
		n = size
	}
	return nil, codeInsufficientBuffer
}

// readerStates reads every reader's state and ATR with one
// SCardGetStatusChange: timeout 0, current states SCARD_STATE_UNAWARE.
func readerStates(lib *C.sp_lib, ctx C.sp_context, names []string, trace func(string)) ([]Reader, uint32) {
	if len(names) == 0 {
		return []Reader{}, codeSuccess
	}
	cnames := C.malloc(C.size_t(len(names)) * C.size_t(unsafe.Sizeof(uintptr(0))))
	defer C.free(cnames)
	ptrs := unsafe.Slice((**C.char)(cnames), len(names))
	for i, n := range names {
		ptrs[i] = C.CString(n)
		defer C.free(unsafe.Pointer(ptrs[i]))
	}
	states := C.sp_states((**C.char)(cnames), C.int(len(names)))
	if states == nil {
		return nil, 0x80100006 // SCARD_E_NO_MEMORY
	}
	defer C.free(unsafe.Pointer(states))
	trace("SCardGetStatusChange")
	if rv := uint32(C.sp_status(lib, ctx, states, C.int(len(names)))); rv != codeSuccess {
		return nil, rv
	}
	out := make([]Reader, 0, len(names))
	for i, n := range names {
		l := int(C.sp_atr_len(states, C.int(i)))
		l = min(max(l, 0), 33)
		atr := C.GoBytes(unsafe.Pointer(C.sp_atr(states, C.int(i))), C.int(l))
		out = append(out, newReader(n, uint32(C.sp_event(states, C.int(i))), atr))
	}
	return out, codeSuccess
}
