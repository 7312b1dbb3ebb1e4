/*
 * fault.c: a PKCS#11 proxy module for the sportello tests. It loads a real
 * module (SoftHSM2), forwards every call to it, and injects the states and
 * faults a real token cannot be made to show on demand. Built by the tests:
 *
 *   gcc -shared -fPIC -I<miekg/pkcs11 dir> -o fault.so fault.c -ldl
 *
 * Controlled by environment variables, read at each call:
 *   FAULT_REAL_MODULE  path of the real module (required)
 *   FAULT_OR_FLAGS     value ORed into CK_TOKEN_INFO.flags of initialised
 *                      tokens, e.g. 0x40000 (CKF_USER_PIN_LOCKED)
 *   FAULT_LABEL        replaces the label of initialised tokens (may hold
 *                      escape codes)
 *   FAULT_HANG         name of a call that never returns, e.g. C_Initialize
 *   FAULT_CRASH        name of a call that dereferences NULL (SIGSEGV)
 *   FAULT_RV           "C_Name=0x30": that call returns this CK_RV
 *   FAULT_NO_SLOTS     if set, C_GetSlotList reports no slot at all, like a
 *                      smart-card module with no reader (or no pcscd)
 *   FAULT_STDOUT       text C_Initialize prints on stdout
 *   FAULT_LOG          file where every call made through the proxy is
 *                      appended, one name per line
 *   FAULT_ONLY_LABEL   FAULT_OR_FLAGS and FAULT_LABEL apply only to the
 *                      token with this label (the others are left alone)
 *   FAULT_EXIT         "C_Name" or "C_Name=code": that call ends the
 *                      process with exit(code) (default 1)
 *   FAULT_HELPER       seconds: C_Initialize forks a helper process that
 *                      keeps every descriptor (stdout, stderr) and lives
 *                      that long, like a vendor's daemon
 *   FAULT_HELPER_PID   file where the helper writes its process id
 *   FAULT_SLOT_COUNT   C_GetSlotList claims this many slots (and answers
 *                      CKR_BUFFER_TOO_SMALL to any buffer)
 *   FAULT_ENDLESS_FIND if set, C_FindObjects never ends: it returns new
 *                      (invalid) handles at every call
 *   FAULT_VALUE_LEN    C_GetAttributeValue claims this length for CKA_VALUE,
 *                      also after filling a buffer (with CKR_OK)
 *   FAULT_GARBAGE      if set, every CKA_VALUE read is replaced by garbage
 */
#define CK_PTR *
#define CK_DEFINE_FUNCTION(returnType, name) returnType name
#define CK_DECLARE_FUNCTION(returnType, name) returnType name
#define CK_DECLARE_FUNCTION_POINTER(returnType, name) returnType (*name)
#define CK_CALLBACK_FUNCTION(returnType, name) returnType (*name)
#ifndef NULL_PTR
#define NULL_PTR 0
#endif
#include "pkcs11.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST wrapped;

static void logcall(const char *name) {
	const char *path = getenv("FAULT_LOG");
	if (path == NULL) return;
	FILE *f = fopen(path, "a");
	if (f == NULL) return;
	fprintf(f, "%s\n", name);
	fclose(f);
}

/* fault applies FAULT_HANG, FAULT_DELAY, FAULT_CRASH and FAULT_RV to the call name.
 * It returns 1 and sets *rv when the call must return *rv at once. */
static int fault(const char *name, CK_RV *rv) {
	const char *v;
	logcall(name);
	if ((v = getenv("FAULT_HANG")) != NULL && strcmp(v, name) == 0) {
		for (;;) pause();
	}
	if ((v = getenv("FAULT_DELAY")) != NULL) { /* FAULT_DELAY=C_Initialize=200: a slow vendor module, milliseconds */
		size_t n = strlen(name);
		if (strncmp(v, name, n) == 0 && v[n] == '=') {
			usleep((useconds_t)strtoul(v + n + 1, NULL, 0) * 1000);
		}
	}
	if ((v = getenv("FAULT_CRASH")) != NULL && strcmp(v, name) == 0) {
		volatile int *p = NULL;
		*p = 1;
	}
	if ((v = getenv("FAULT_EXIT")) != NULL) {
		size_t n = strlen(name);
		if (strncmp(v, name, n) == 0 && (v[n] == 0 || v[n] == '=')) {
			exit(v[n] == '=' ? atoi(v + n + 1) : 1);
		}
	}
	if ((v = getenv("FAULT_RV")) != NULL) {
		size_t n = strlen(name);
		if (strncmp(v, name, n) == 0 && v[n] == '=') {
			*rv = (CK_RV)strtoul(v + n + 1, NULL, 0);
			return 1;
		}
	}
	return 0;
}

#define FAULT(name)                           \
	do {                                      \
		CK_RV rv_;                            \
		if (fault(#name, &rv_)) return rv_;   \
	} while (0)

/* helper forks a process that keeps every descriptor of this one open
 * (the probe's stdout and stderr pipes among them) for the given seconds. */
static void helper(const char *seconds) {
	const char *pidfile = getenv("FAULT_HELPER_PID");
	pid_t pid = fork();
	if (pid != 0) return;
	if (pidfile != NULL) { /* no stdio after fork in a threaded process */
		char buf[32];
		int n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
		int fd = open(pidfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			if (write(fd, buf, (size_t)n) < 0) _exit(1);
			close(fd);
		}
	}
	sleep((unsigned)atoi(seconds));
	_exit(0);
}

static CK_RV w_Initialize(CK_VOID_PTR args) {
	const char *s;
	FAULT(C_Initialize);
	if ((s = getenv("FAULT_STDOUT")) != NULL) {
		fputs(s, stdout);
		fflush(stdout);
	}
	if ((s = getenv("FAULT_HELPER")) != NULL) helper(s);
	return real->C_Initialize(args);
}

static CK_RV w_Finalize(CK_VOID_PTR r) {
	FAULT(C_Finalize);
	return real->C_Finalize(r);
}

static CK_RV w_GetInfo(CK_INFO_PTR info) {
	FAULT(C_GetInfo);
	return real->C_GetInfo(info);
}

static CK_RV w_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
	const char *v;
	FAULT(C_GetSlotList);
	if (getenv("FAULT_NO_SLOTS") != NULL) {
		*count = 0;
		return CKR_OK;
	}
	if ((v = getenv("FAULT_SLOT_COUNT")) != NULL) {
		*count = (CK_ULONG)strtoull(v, NULL, 0);
		return list == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
	}
	return real->C_GetSlotList(present, list, count);
}

static CK_RV w_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info) {
	FAULT(C_GetSlotInfo);
	return real->C_GetSlotInfo(slot, info);
}

static CK_RV w_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
	const char *v;
	CK_RV rv;
	FAULT(C_GetTokenInfo);
	rv = real->C_GetTokenInfo(slot, info);
	if (rv != CKR_OK || !(info->flags & CKF_TOKEN_INITIALIZED)) return rv;
	if ((v = getenv("FAULT_ONLY_LABEL")) != NULL) {
		size_t n = strlen(v), i;
		if (n > sizeof(info->label) || memcmp(info->label, v, n) != 0) return rv;
		for (i = n; i < sizeof(info->label); i++) {
			if (info->label[i] != ' ') return rv;
		}
	}
	if ((v = getenv("FAULT_OR_FLAGS")) != NULL) info->flags |= (CK_FLAGS)strtoul(v, NULL, 0);
	if ((v = getenv("FAULT_LABEL")) != NULL) {
		size_t n = strlen(v);
		if (n > sizeof(info->label)) n = sizeof(info->label);
		memset(info->label, ' ', sizeof(info->label));
		memcpy(info->label, v, n);
	}
	return rv;
}

static CK_RV w_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR s) {
	FAULT(C_OpenSession);
	return real->C_OpenSession(slot, flags, app, notify, s);
}

static CK_RV w_FindObjectsInit(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
	FAULT(C_FindObjectsInit);
	return real->C_FindObjectsInit(s, t, n);
}

static CK_RV w_FindObjects(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE_PTR list, CK_ULONG max, CK_ULONG_PTR count) {
	static CK_OBJECT_HANDLE next = 0x7f000000;
	CK_ULONG i;
	FAULT(C_FindObjects);
	if (getenv("FAULT_ENDLESS_FIND") == NULL) return real->C_FindObjects(s, list, max, count);
	for (i = 0; i < max; i++) list[i] = next++;
	*count = max;
	return CKR_OK;
}

static CK_RV w_GetAttributeValue(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
	const char *len = getenv("FAULT_VALUE_LEN");
	CK_RV rv;
	CK_ULONG i, j;
	FAULT(C_GetAttributeValue);
	rv = real->C_GetAttributeValue(s, o, t, n);
	for (i = 0; i < n; i++) {
		if (t[i].type != CKA_VALUE || t[i].ulValueLen == (CK_ULONG)-1) continue;
		if (len != NULL) {
			/* A lying driver: the length claimed, whatever the buffer. */
			t[i].ulValueLen = (CK_ULONG)strtoull(len, NULL, 0);
		} else if (getenv("FAULT_GARBAGE") != NULL && t[i].pValue != NULL && rv == CKR_OK) {
			for (j = 0; j < t[i].ulValueLen; j++) ((unsigned char *)t[i].pValue)[j] = (unsigned char)(0xA5 ^ j);
		}
	}
	return rv;
}

static CK_RV w_Login(CK_SESSION_HANDLE s, CK_USER_TYPE u, CK_UTF8CHAR_PTR pin, CK_ULONG n) {
	FAULT(C_Login);
	return real->C_Login(s, u, pin, n);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
	if (real == NULL) {
		const char *path = getenv("FAULT_REAL_MODULE");
		void *h;
		CK_C_GetFunctionList get;
		if (path == NULL || (h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) return CKR_GENERAL_ERROR;
		get = (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList");
		if (get == NULL || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
		wrapped = *real;
		wrapped.C_Initialize = w_Initialize;
		wrapped.C_Finalize = w_Finalize;
		wrapped.C_GetInfo = w_GetInfo;
		wrapped.C_GetSlotList = w_GetSlotList;
		wrapped.C_GetSlotInfo = w_GetSlotInfo;
		wrapped.C_GetTokenInfo = w_GetTokenInfo;
		wrapped.C_OpenSession = w_OpenSession;
		wrapped.C_FindObjectsInit = w_FindObjectsInit;
		wrapped.C_GetAttributeValue = w_GetAttributeValue;
		wrapped.C_FindObjects = w_FindObjects;
		wrapped.C_Login = w_Login;
	}
	*list = &wrapped;
	return CKR_OK;
}
