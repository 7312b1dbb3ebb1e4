package probe

// Bounded calls. The binding allocates whatever a module claims: a slot
// count from C_GetSlotList, an attribute length from C_GetAttributeValue
// (calloc of ulValueLen, then a Go copy of it), and it trusts the count
// C_FindObjects returns. A module that claims two billion slots or a
// certificate of 2 GiB would make the probe allocate gigabytes. These
// three calls are therefore made here, through the module's own function
// list: the size is asked first (a NULL buffer), refused when it cannot be
// true, and only then allocated; every answer is checked against the
// buffer given.

/*
#cgo linux LDFLAGS: -ldl
#include <stdlib.h>
#include <string.h>

typedef unsigned long sp_ulong; // CK_ULONG: 64 bits on Unix, 32 on Windows

#ifdef _WIN32
#pragma pack(push, 1) // Cryptoki structures are packed on Windows
#endif
typedef struct { unsigned char major, minor; } sp_version;
typedef struct { sp_ulong type; void *value; sp_ulong len; } sp_attribute;
// sp_functions is CK_FUNCTION_LIST up to C_FindObjects (PKCS#11 2.40,
// section 5.2), the only entries called from here.
typedef struct {
	sp_version version;
	void *initialize, *finalize, *get_info, *get_function_list;
	sp_ulong (*get_slot_list)(unsigned char, sp_ulong *, sp_ulong *);
	void *get_slot_info, *get_token_info, *get_mechanism_list, *get_mechanism_info,
		*init_token, *init_pin, *set_pin, *open_session, *close_session,
		*close_all_sessions, *get_session_info, *get_operation_state,
		*set_operation_state, *login, *logout, *create_object, *copy_object,
		*destroy_object, *get_object_size;
	sp_ulong (*get_attribute_value)(sp_ulong, sp_ulong, sp_attribute *, sp_ulong);
	void *set_attribute_value, *find_objects_init;
	sp_ulong (*find_objects)(sp_ulong, sp_ulong *, sp_ulong, sp_ulong *);
} sp_functions;
#ifdef _WIN32
#pragma pack(pop)
#endif

typedef sp_ulong (*sp_get_list)(sp_functions **);

#ifdef _WIN32
#include <windows.h>
static void *sp_open(const char *path) { return (void *)LoadLibraryA(path); }
static void *sp_sym(void *h, const char *name) { return (void *)GetProcAddress((HMODULE)h, name); }
#else
#include <dlfcn.h>
static void *sp_open(const char *path) { return dlopen(path, RTLD_LAZY | RTLD_LOCAL); }
static void *sp_sym(void *h, const char *name) { return dlsym(h, name); }
#endif

// sp_function_list returns the function list of the module at path (which
// the binding has already loaded: this only takes one more reference), or
// NULL.
static sp_functions *sp_function_list(const char *path) {
	void *h = sp_open(path);
	if (h == NULL) return NULL;
	sp_get_list get = (sp_get_list)sp_sym(h, "C_GetFunctionList");
	sp_functions *list = NULL;
	if (get == NULL || get(&list) != 0) return NULL;
	return list;
}

static sp_ulong sp_slot_list(sp_functions *f, unsigned char present, sp_ulong *list, sp_ulong *count) {
	return f->get_slot_list(present, list, count);
}

static sp_ulong sp_find(sp_functions *f, sp_ulong session, sp_ulong *handles, sp_ulong max, sp_ulong *count) {
	return f->find_objects(session, handles, max, count);
}

// sp_attr reads one attribute into buf (NULL: only its length), setting
// *len to what the module answered.
static sp_ulong sp_attr(sp_functions *f, sp_ulong session, sp_ulong object, sp_ulong type, void *buf, sp_ulong cap, sp_ulong *len) {
	sp_attribute a;
	a.type = type;
	a.value = buf;
	a.len = cap;
	sp_ulong rv = f->get_attribute_value(session, object, &a, 1);
	*len = a.len;
	return rv;
}
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/miekg/pkcs11"

	"github.com/sportello/sportello/internal/token"
)

// Limits on what a module may claim. Real devices are far below them: a
// workstation has a few readers, a token a handful of certificates of a
// few kilobytes.
const (
	MaxSlots           = 1024     // slots of one module
	MaxObjects         = 256      // certificate objects of one token
	MaxModuleObjects   = 1024     // certificate objects of one module, all tokens
	MaxValue           = 64 << 10 // bytes of one certificate
	MaxModuleValue     = 8 << 20  // bytes of all the certificates of one module
	MaxAttribute       = 4 << 10  // bytes of a label or an ID
	findBatch          = 64
	unavailableInfo    = ^C.sp_ulong(0) // CK_UNAVAILABLE_INFORMATION
	ckrBufferTooSmall  = 0x150
	ckrOK              = 0
	slotListAttempts   = 3
	noFunctionList     = "la lista delle funzioni del modulo non è disponibile"
	impossibleMoreThan = "il driver restituisce più oggetti di quanti ne sono stati chiesti (%d invece di al massimo %d)"
)

// calls makes the bounded calls of one module and keeps its budgets.
type calls struct {
	f       *C.sp_functions
	objects int // certificate objects read so far
	bytes   int // certificate bytes read so far
}

// newCalls returns the bounded calls of the module at path, or nil when
// its function list cannot be had (the probe then reports a fault).
func newCalls(path string) *calls {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	f := C.sp_function_list(cpath)
	if f == nil {
		return nil
	}
	return &calls{f: f}
}

// slotList is C_GetSlotList (all slots), refusing a count over MaxSlots.
func (c *calls) slotList() ([]uint, *token.CallError) {
	for attempt := 0; attempt < slotListAttempts; attempt++ {
		var n C.sp_ulong
		if rv := C.sp_slot_list(c.f, C.uchar(0), nil, &n); rv != ckrOK {
			return nil, token.NewCallError("C_GetSlotList", uint(rv), "")
		}
		if n > MaxSlots {
			return nil, token.BadAnswer("C_GetSlotList", fmt.Sprintf("il driver dichiara %d slot, più di quanti ne possa avere un computer (al massimo %d)", uint64(n), MaxSlots))
		}
		if n == 0 {
			return []uint{}, nil
		}
		list := make([]C.sp_ulong, n)
		got := n
		rv := C.sp_slot_list(c.f, C.uchar(0), &list[0], &got)
		if rv == ckrBufferTooSmall { // a reader came or went between the two calls
			continue
		}
		if rv != ckrOK {
			return nil, token.NewCallError("C_GetSlotList", uint(rv), "")
		}
		if got > n {
			return nil, token.BadAnswer("C_GetSlotList", fmt.Sprintf("il driver dichiara %d slot dopo averne annunciati %d", uint64(got), uint64(n)))
		}
		out := make([]uint, got)
		for i := range out {
			out[i] = uint(list[i])
		}
		return out, nil
	}
	return nil, token.BadAnswer("C_GetSlotList", "il numero di slot cambia a ogni richiesta")
}

// findObjects runs C_FindObjects until the search ends, at most
// MaxObjects handles for this token and MaxModuleObjects for the module.
// A search that does not end is an error, not a wait; the handles found
// until then are returned with it.
func (c *calls) findObjects(sh pkcs11.SessionHandle, trace func(string)) ([]pkcs11.ObjectHandle, *token.CallError) {
	var out []pkcs11.ObjectHandle
	seen := map[C.sp_ulong]bool{}
	batch := make([]C.sp_ulong, findBatch)
	for {
		trace("C_FindObjects")
		var n C.sp_ulong
		if rv := C.sp_find(c.f, C.sp_ulong(sh), &batch[0], findBatch, &n); rv != ckrOK {
			return out, token.NewCallError("C_FindObjects", uint(rv), "")
		}
		if n == 0 {
			return out, nil
		}
		if n > findBatch {
			return out, token.BadAnswer("C_FindObjects", fmt.Sprintf(impossibleMoreThan, uint64(n), findBatch))
		}
		fresh := 0
		for _, h := range batch[:n] {
			if seen[h] {
				continue
			}
			seen[h] = true
			fresh++
			if len(out) == MaxObjects || c.objects == MaxModuleObjects {
				return out, token.BadAnswer("C_FindObjects", fmt.Sprintf("la ricerca dei certificati non finisce: il driver ne ha già restituiti %d", len(out)))
			}
			out = append(out, pkcs11.ObjectHandle(h))
			c.objects++
		}
		if fresh == 0 {
			return out, token.BadAnswer("C_FindObjects", "la ricerca dei certificati non finisce: il driver restituisce sempre gli stessi oggetti")
		}
	}
}

// attribute reads one attribute of at most max bytes (and, for
// certificate values, within the module's budget). It returns the value,
// or why it was not read: a CallError for a failed call, an impossible
// answer for a length over the limit.
func (c *calls) attribute(sh pkcs11.SessionHandle, h pkcs11.ObjectHandle, typ uint, max int) ([]byte, *token.CallError) {
	var n C.sp_ulong
	if rv := C.sp_attr(c.f, C.sp_ulong(sh), C.sp_ulong(h), C.sp_ulong(typ), nil, 0, &n); rv != ckrOK {
		return nil, token.NewCallError("C_GetAttributeValue", uint(rv), "")
	}
	if n == unavailableInfo {
		return nil, token.BadAnswer("C_GetAttributeValue", "il driver non fornisce il valore")
	}
	if uint64(n) > uint64(max) {
		return nil, token.BadAnswer("C_GetAttributeValue", fmt.Sprintf("il driver dichiara un valore di %d byte, più di qualsiasi certificato (al massimo %d): non è stato letto", uint64(n), max))
	}
	if typ == pkcs11.CKA_VALUE && c.bytes+int(n) > MaxModuleValue {
		return nil, token.BadAnswer("C_GetAttributeValue", fmt.Sprintf("i certificati del modulo superano in tutto %d byte: questo non è stato letto", MaxModuleValue))
	}
	if n == 0 {
		return []byte{}, nil
	}
	buf := make([]byte, n)
	got := n
	if rv := C.sp_attr(c.f, C.sp_ulong(sh), C.sp_ulong(h), C.sp_ulong(typ), unsafe.Pointer(&buf[0]), n, &got); rv != ckrOK {
		return nil, token.NewCallError("C_GetAttributeValue", uint(rv), "")
	}
	if got > n {
		return nil, token.BadAnswer("C_GetAttributeValue", fmt.Sprintf("il driver ha scritto %d byte dove ne aveva annunciati %d", uint64(got), uint64(n)))
	}
	if typ == pkcs11.CKA_VALUE {
		c.bytes += int(got)
	}
	return buf[:got], nil
}
