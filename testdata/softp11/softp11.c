/*
 * softp11.c: a standalone soft token for the tests, one source for a
 * Windows DLL (mingw) and a Linux shared object (gcc). It serves slots,
 * tokens (label, serial, manufacturer, model, flags: the PIN and PUK
 * states) and DER certificates from a description file, and misbehaves on
 * request (hangs, crashes, exits, fails in a named call, prints on
 * stdout). It only answers what sportello's probe asks: library, slot and
 * token information, read-only sessions and certificate objects; every
 * other function returns CKR_FUNCTION_NOT_SUPPORTED and is logged.
 *
 * The description is read in C_Initialize from the file named by the
 * variable SOFTP11_CONF_<NAME> (NAME: the module's file name without its
 * extension, upper case, other characters as '_', e.g. SOFTP11_CONF_BIT4XPKI
 * for bit4xpki.dll), else SOFTP11_CONF. One directive per line, "key
 * value" (the value is the rest of the line), '#' starts a comment:
 *
 *   library.manufacturer TEXT       library.description TEXT
 *   slot [ID]                       starts a slot (ID defaults to its index)
 *   slot.description TEXT           slot.manufacturer TEXT
 *   slot.flags N                    (default CKF_TOKEN_PRESENT|CKF_REMOVABLE_DEVICE,
 *                                    or CKF_REMOVABLE_DEVICE without a token)
 *   token.label TEXT                token.serial TEXT
 *   token.manufacturer TEXT         token.model TEXT
 *   token.flags N                   a slot with no token.* line has no token
 *   cert.label TEXT                 starts a certificate of the last token
 *   cert.id HEX                     cert.value HEX (the DER)
 *   fault.hang CALL                 sleep for ever when CALL starts
 *   fault.crash CALL                write through a NULL pointer (SIGSEGV,
 *                                    STATUS_ACCESS_VIOLATION)
 *   fault.stackoverflow CALL        recurse until the stack is gone
 *   fault.fastfail CALL             __fastfail (Windows:
 *                                    STATUS_STACK_BUFFER_OVERRUN); abort() on Linux
 *   fault.exit CALL CODE            exit the process with CODE
 *   fault.rv CALL RV                return RV (e.g. 0x30) from CALL
 *   fault.print CALL TEXT           print TEXT on stdout (the C library's)
 *                                    when CALL starts
 *   fault.writestdout CALL TEXT     write TEXT to the process's standard
 *                                    output handle (GetStdHandle, fd 1) in CALL
 *   fault.spawn CALL COMMAND        start COMMAND (a program and its arguments,
 *                                    no shell) in CALL and go on, like a driver
 *                                    starting a helper process
 *
 * CALL is a function name such as C_Initialize, C_GetSlotList or
 * C_GetTokenInfo. Numbers are decimal or 0x-hex. If SOFTP11_LOG names a
 * file, every call's name is appended to it, one per line.
 *
 * Structures and packing come from p11types.h (our own header): 1-byte
 * packing and 32-bit CK_ULONG on Windows, natural alignment on Linux,
 * with static assertions on their sizes.
 */
#ifndef _WIN32
#define _GNU_SOURCE /* dladdr */
#endif
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#include <unistd.h>
#endif

#include "p11types.h"

#define MAX_SLOTS 16
#define MAX_CERTS 16
#define MAX_SESSIONS 64
#define MAX_FAULTS 16
#define TEXT_MAX 512

struct cert {
	char label[TEXT_MAX];
	unsigned char id[64];
	size_t id_len;
	unsigned char *value;
	size_t value_len;
};

struct slot {
	CK_SLOT_ID id;
	char description[TEXT_MAX], manufacturer[TEXT_MAX];
	CK_FLAGS flags;
	int flags_set;
	int has_token;
	char label[TEXT_MAX], serial[TEXT_MAX], tmanufacturer[TEXT_MAX], model[TEXT_MAX];
	CK_FLAGS tflags;
	struct cert certs[MAX_CERTS];
	int ncerts;
};

enum fault_kind { F_HANG, F_CRASH, F_STACK, F_FASTFAIL, F_EXIT, F_RV, F_PRINT, F_WRITE, F_SPAWN };

struct fault {
	enum fault_kind kind;
	char call[64];
	unsigned long number;
	char text[TEXT_MAX];
};

struct session {
	int open;
	int slot; /* index in slots */
	int finding;
	int found[MAX_CERTS];
	int nfound, next;
};

static struct {
	int initialized;
	char manufacturer[TEXT_MAX], description[TEXT_MAX];
	struct slot slots[MAX_SLOTS];
	int nslots;
	struct fault faults[MAX_FAULTS];
	int nfaults;
	struct session sessions[MAX_SESSIONS];
} st;

/* ---- the module's own file name, for SOFTP11_CONF_<NAME> ---- */

static void module_name(char *out, size_t n)
{
	char path[1024] = "";
#ifdef _WIN32
	HMODULE h = NULL;
	if (GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
			       (LPCSTR)(void *)module_name, &h))
		GetModuleFileNameA(h, path, sizeof path);
#else
	Dl_info info;
	if (dladdr((void *)module_name, &info) && info.dli_fname)
		snprintf(path, sizeof path, "%s", info.dli_fname);
#endif
	const char *base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t i = 0;
	for (; base[i] && base[i] != '.' && i + 1 < n; i++)
		out[i] = isalnum((unsigned char)base[i]) ? (char)toupper((unsigned char)base[i]) : '_';
	out[i] = 0;
}

/* ---- logging and faults ---- */

static void log_call(const char *call)
{
	const char *path = getenv("SOFTP11_LOG");
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s\n", call);
	fclose(f);
}

static volatile int sink;

/* recurse goes deeper while sink is 0, that is for ever (the compiler
 * cannot know). */
__attribute__((noinline)) static int recurse(int n)
{
	volatile char buf[4096];
	buf[0] = (char)n;
	buf[sizeof buf - 1] = (char)n;
	if (sink == 0)
		return recurse(n + 1) + buf[0] + buf[sizeof buf - 1];
	return buf[0];
}

static void hang(void)
{
	for (;;) {
#ifdef _WIN32
		Sleep(1000);
#else
		sleep(1);
#endif
	}
}

/* spawn starts a command line, not waiting for it. */
static void spawn(const char *command)
{
#ifdef _WIN32
	char cmd[TEXT_MAX];
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	snprintf(cmd, sizeof cmd, "%s", command);
	memset(&si, 0, sizeof si);
	si.cb = sizeof si;
	if (CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
		CloseHandle(pi.hThread);
		CloseHandle(pi.hProcess);
	}
#else
	char cmd[TEXT_MAX], *argv[16];
	int n = 0;
	snprintf(cmd, sizeof cmd, "%s", command);
	for (char *tok = strtok(cmd, " "); tok && n < 15; tok = strtok(NULL, " "))
		argv[n++] = tok;
	argv[n] = NULL;
	if (n > 0 && fork() == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
#endif
}

/* enter logs the call and plays the faults named for it; it returns the
 * CK_RV to return instead of doing the work, or CKR_OK. */
static CK_RV enter(const char *call)
{
	log_call(call);
	CK_RV rv = CKR_OK;
	for (int i = 0; i < st.nfaults; i++) {
		struct fault *f = &st.faults[i];
		if (strcmp(f->call, call) != 0)
			continue;
		switch (f->kind) {
		case F_PRINT:
			printf("%s\n", f->text);
			fflush(stdout);
			break;
		case F_WRITE: {
			char line[TEXT_MAX + 2];
			int n = snprintf(line, sizeof line, "%s\n", f->text);
#ifdef _WIN32
			DWORD done;
			WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, (DWORD)n, &done, NULL);
#else
			if (write(1, line, (size_t)n) < 0)
				sink = 1;
#endif
			break;
		}
		case F_SPAWN:
			spawn(f->text);
			break;
		case F_HANG:
			hang();
			break;
		case F_CRASH:
			*(volatile int *)(size_t)sink = 1;
			break;
		case F_STACK:
			sink = recurse(0);
			break;
		case F_FASTFAIL:
#ifdef _WIN32
			__asm__ volatile("int $0x29" ::"c"(2)); /* __fastfail(FAST_FAIL_STACK_COOKIE_CHECK_FAILURE) */
#else
			abort();
#endif
			break;
		case F_EXIT:
			fflush(stdout);
			exit((int)f->number);
		case F_RV:
			rv = f->number;
			break;
		}
	}
	return rv;
}

/* ---- the description file ---- */

static void copy_text(char *dst, const char *src)
{
	snprintf(dst, TEXT_MAX, "%s", src);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* unhex decodes hex into a new buffer; it returns its length, or -1. */
static long unhex(const char *s, unsigned char **out)
{
	size_t n = strlen(s);
	if (n % 2)
		return -1;
	unsigned char *b = malloc(n / 2 + 1);
	if (!b)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(b);
			return -1;
		}
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	*out = b;
	return (long)(n / 2);
}

static int conf_error(const char *path, int line, const char *what)
{
	fprintf(stderr, "softp11: %s:%d: %s\n", path, line, what);
	return -1;
}

static int add_fault(enum fault_kind kind, char *val, const char *path, int line)
{
	if (st.nfaults == MAX_FAULTS)
		return conf_error(path, line, "too many faults");
	struct fault *f = &st.faults[st.nfaults++];
	f->kind = kind;
	char *rest = strchr(val, ' ');
	if (rest)
		*rest++ = 0;
	snprintf(f->call, sizeof f->call, "%s", val);
	if (kind == F_EXIT || kind == F_RV) {
		if (!rest)
			return conf_error(path, line, "a number is missing after the call");
		f->number = strtoul(rest, NULL, 0);
	}
	if (kind == F_PRINT || kind == F_WRITE || kind == F_SPAWN)
		snprintf(f->text, sizeof f->text, "%s", rest ? rest : "");
	return 0;
}

static int directive(char *key, char *val, const char *path, int line)
{
	struct slot *s = st.nslots ? &st.slots[st.nslots - 1] : NULL;
	struct cert *c = s && s->ncerts ? &s->certs[s->ncerts - 1] : NULL;
	if (strcmp(key, "library.manufacturer") == 0) {
		copy_text(st.manufacturer, val);
	} else if (strcmp(key, "library.description") == 0) {
		copy_text(st.description, val);
	} else if (strcmp(key, "slot") == 0) {
		if (st.nslots == MAX_SLOTS)
			return conf_error(path, line, "too many slots");
		s = &st.slots[st.nslots];
		memset(s, 0, sizeof *s);
		s->id = *val ? strtoul(val, NULL, 0) : (CK_SLOT_ID)st.nslots;
		snprintf(s->description, TEXT_MAX, "SoftP11 lettore %d", st.nslots);
		copy_text(s->manufacturer, "SoftP11");
		st.nslots++;
	} else if (strncmp(key, "fault.", 6) == 0) {
		static const struct {
			const char *name;
			enum fault_kind kind;
		} kinds[] = {{"hang", F_HANG},	   {"crash", F_CRASH}, {"stackoverflow", F_STACK}, {"fastfail", F_FASTFAIL},
			     {"exit", F_EXIT},	   {"rv", F_RV},       {"print", F_PRINT}, {"writestdout", F_WRITE}, {"spawn", F_SPAWN}};
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcmp(key + 6, kinds[i].name) == 0)
				return add_fault(kinds[i].kind, val, path, line);
		return conf_error(path, line, "unknown fault");
	} else if (!s) {
		return conf_error(path, line, "slot.*, token.* and cert.* need a slot line first");
	} else if (strcmp(key, "slot.description") == 0) {
		copy_text(s->description, val);
	} else if (strcmp(key, "slot.manufacturer") == 0) {
		copy_text(s->manufacturer, val);
	} else if (strcmp(key, "slot.flags") == 0) {
		s->flags = strtoul(val, NULL, 0);
		s->flags_set = 1;
	} else if (strncmp(key, "token.", 6) == 0) {
		s->has_token = 1;
		if (strcmp(key, "token.label") == 0)
			copy_text(s->label, val);
		else if (strcmp(key, "token.serial") == 0)
			copy_text(s->serial, val);
		else if (strcmp(key, "token.manufacturer") == 0)
			copy_text(s->tmanufacturer, val);
		else if (strcmp(key, "token.model") == 0)
			copy_text(s->model, val);
		else if (strcmp(key, "token.flags") == 0)
			s->tflags = strtoul(val, NULL, 0);
		else
			return conf_error(path, line, "unknown token key");
	} else if (strcmp(key, "cert.label") == 0) {
		if (s->ncerts == MAX_CERTS)
			return conf_error(path, line, "too many certificates");
		c = &s->certs[s->ncerts++];
		memset(c, 0, sizeof *c);
		copy_text(c->label, val);
	} else if (!c) {
		return conf_error(path, line, "cert.id and cert.value need a cert.label line first");
	} else if (strcmp(key, "cert.id") == 0) {
		unsigned char *b;
		long n = unhex(val, &b);
		if (n < 0 || (size_t)n > sizeof c->id)
			return conf_error(path, line, "bad cert.id");
		memcpy(c->id, b, (size_t)n);
		c->id_len = (size_t)n;
		free(b);
	} else if (strcmp(key, "cert.value") == 0) {
		long n = unhex(val, &c->value);
		if (n < 0)
			return conf_error(path, line, "bad cert.value");
		c->value_len = (size_t)n;
	} else {
		return conf_error(path, line, "unknown key");
	}
	return 0;
}

static void reset(void)
{
	for (int i = 0; i < st.nslots; i++)
		for (int j = 0; j < st.slots[i].ncerts; j++)
			free(st.slots[i].certs[j].value);
	memset(&st, 0, sizeof st);
}

/* load reads the description. The faults it names are only played after
 * it is read (so a fault in C_Initialize fires once the file is in). */
static int load(void)
{
	char name[128], var[160];
	module_name(name, sizeof name);
	snprintf(var, sizeof var, "SOFTP11_CONF_%s", name);
	const char *path = getenv(var);
	if (!path || !*path)
		path = getenv("SOFTP11_CONF");
	copy_text(st.manufacturer, "SoftP11");
	copy_text(st.description, "sportello test token");
	if (!path || !*path)
		return 0; /* no description: a library with no slots */
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "softp11: cannot open %s\n", path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[size] = 0;
	int line = 0, rc = 0;
	for (char *p = buf; p && *p && rc == 0;) {
		char *end = strchr(p, '\n');
		if (end)
			*end++ = 0;
		line++;
		size_t n = strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			p[--n] = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p != '#') {
			char *val = strchr(p, ' ');
			if (val)
				*val++ = 0;
			else
				val = p + strlen(p);
			while (*val == ' ')
				val++;
			rc = directive(p, val, path, line);
		}
		p = end;
	}
	free(buf);
	for (int i = 0; i < st.nslots; i++) {
		struct slot *s = &st.slots[i];
		if (!s->flags_set)
			s->flags = s->has_token ? 0x3UL : 0x2UL; /* token present, removable */
	}
	return rc;
}

/* ---- helpers ---- */

static void pad(CK_UTF8CHAR *dst, size_t n, const char *src)
{
	memset(dst, ' ', n);
	size_t l = strlen(src);
	memcpy(dst, src, l < n ? l : n);
}

static int slot_index(CK_SLOT_ID id)
{
	for (int i = 0; i < st.nslots; i++)
		if (st.slots[i].id == id)
			return i;
	return -1;
}

static struct session *session(CK_SESSION_HANDLE h)
{
	if (h < 1 || h > MAX_SESSIONS || !st.sessions[h - 1].open)
		return NULL;
	return &st.sessions[h - 1];
}

/* Object handles: slot index * 100 + certificate index + 1. */
static struct cert *object(struct session *s, CK_OBJECT_HANDLE h)
{
	struct slot *sl = &st.slots[s->slot];
	if (h / 100 != (CK_ULONG)s->slot || h % 100 < 1 || (int)(h % 100) > sl->ncerts)
		return NULL;
	return &sl->certs[h % 100 - 1];
}

/* attr points at one attribute value of c, or is NULL for an attribute a
 * certificate object does not have. */
static const void *attr(struct cert *c, CK_ATTRIBUTE_TYPE type, CK_ULONG *len)
{
	static const CK_OBJECT_CLASS class = CKO_CERTIFICATE;
	static const CK_CERTIFICATE_TYPE ctype = CKC_X_509;
	static const CK_BBOOL yes = 1, no = 0;
	switch (type) {
	case CKA_CLASS:
		*len = sizeof class;
		return &class;
	case CKA_CERTIFICATE_TYPE:
		*len = sizeof ctype;
		return &ctype;
	case CKA_TOKEN:
		*len = 1;
		return &yes;
	case CKA_PRIVATE:
		*len = 1;
		return &no;
	case CKA_LABEL:
		*len = (CK_ULONG)strlen(c->label);
		return c->label;
	case CKA_ID:
		*len = (CK_ULONG)c->id_len;
		return c->id;
	case CKA_VALUE:
		*len = (CK_ULONG)c->value_len;
		return c->value;
	}
	return NULL;
}

/* ---- the functions ---- */

static CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
	if (st.initialized) {
		log_call("C_Initialize");
		return CKR_CRYPTOKI_ALREADY_INITIALIZED;
	}
	if (pInitArgs) {
		CK_C_INITIALIZE_ARGS *a = pInitArgs;
		if (a->pReserved)
			return CKR_ARGUMENTS_BAD;
	}
	reset();
	if (load() != 0) {
		reset();
		return CKR_GENERAL_ERROR;
	}
	CK_RV rv = enter("C_Initialize");
	if (rv != CKR_OK) {
		reset();
		return rv;
	}
	st.initialized = 1;
	return CKR_OK;
}

static CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
	CK_RV rv = enter("C_Finalize");
	if (rv != CKR_OK)
		return rv;
	if (pReserved)
		return CKR_ARGUMENTS_BAD;
	if (!st.initialized)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	reset();
	return CKR_OK;
}

static CK_RV C_GetInfo(CK_INFO *pInfo)
{
	CK_RV rv = enter("C_GetInfo");
	if (rv != CKR_OK)
		return rv;
	if (!st.initialized)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	if (!pInfo)
		return CKR_ARGUMENTS_BAD;
	memset(pInfo, 0, sizeof *pInfo);
	pInfo->cryptokiVersion.major = 2;
	pInfo->cryptokiVersion.minor = 40;
	pad(pInfo->manufacturerID, sizeof pInfo->manufacturerID, st.manufacturer);
	pad(pInfo->libraryDescription, sizeof pInfo->libraryDescription, st.description);
	pInfo->libraryVersion.major = 1;
	pInfo->libraryVersion.minor = 0;
	return CKR_OK;
}

static CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID *pSlotList, CK_ULONG *pulCount)
{
	CK_RV rv = enter("C_GetSlotList");
	if (rv != CKR_OK)
		return rv;
	if (!st.initialized)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	if (!pulCount)
		return CKR_ARGUMENTS_BAD;
	CK_ULONG n = 0;
	for (int i = 0; i < st.nslots; i++)
		if (!tokenPresent || (st.slots[i].flags & CKF_TOKEN_PRESENT))
			n++;
	if (!pSlotList) {
		*pulCount = n;
		return CKR_OK;
	}
	if (*pulCount < n) {
		*pulCount = n;
		return CKR_BUFFER_TOO_SMALL;
	}
	CK_ULONG k = 0;
	for (int i = 0; i < st.nslots; i++)
		if (!tokenPresent || (st.slots[i].flags & CKF_TOKEN_PRESENT))
			pSlotList[k++] = st.slots[i].id;
	*pulCount = n;
	return CKR_OK;
}

static CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO *pInfo)
{
	CK_RV rv = enter("C_GetSlotInfo");
	if (rv != CKR_OK)
		return rv;
	if (!st.initialized)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	int i = slot_index(slotID);
	if (i < 0)
		return CKR_SLOT_ID_INVALID;
	if (!pInfo)
		return CKR_ARGUMENTS_BAD;
	struct slot *s = &st.slots[i];
	memset(pInfo, 0, sizeof *pInfo);
	pad(pInfo->slotDescription, sizeof pInfo->slotDescription, s->description);
	pad(pInfo->manufacturerID, sizeof pInfo->manufacturerID, s->manufacturer);
	pInfo->flags = s->flags;
	pInfo->hardwareVersion.major = 1;
	pInfo->firmwareVersion.major = 1;
	return CKR_OK;
}

static CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO *pInfo)
{
	CK_RV rv = enter("C_GetTokenInfo");
	if (rv != CKR_OK)
		return rv;
	if (!st.initialized)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	int i = slot_index(slotID);
	if (i < 0)
		return CKR_SLOT_ID_INVALID;
	struct slot *s = &st.slots[i];
	if (!s->has_token || !(s->flags & CKF_TOKEN_PRESENT))
		return CKR_TOKEN_NOT_PRESENT;
	if (!pInfo)
		return CKR_ARGUMENTS_BAD;
	memset(pInfo, 0, sizeof *pInfo);
	pad(pInfo->label, sizeof pInfo->label, s->label);
	pad(pInfo->manufacturerID, sizeof pInfo->manufacturerID, s->tmanufacturer);
	pad(pInfo->model, sizeof pInfo->model, s->model);
	pad(pInfo->serialNumber, sizeof pInfo->serialNumber, s->serial);
	pInfo->flags = s->tflags;
	pInfo->ulMaxSessionCount = MAX_SESSIONS;
	pInfo->ulMaxRwSessionCount = 0;
	pInfo->ulMaxPinLen = 8;
	pInfo->ulMinPinLen = 5;
	pInfo->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
	pInfo->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
	pInfo->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
	pInfo->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
	pInfo->hardwareVersion.major = 1;
	pInfo->firmwareVersion.major = 1;
	memset(pInfo->utcTime, ' ', sizeof pInfo->utcTime);
	return CKR_OK;
}

static CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_VOID_PTR Notify,
			   CK_SESSION_HANDLE *phSession)
{
	(void)pApplication;
	(void)Notify;
	CK_RV rv = enter("C_OpenSession");
	if (rv != CKR_OK)
		return rv;
	if (!st.initialized)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	int i = slot_index(slotID);
	if (i < 0)
		return CKR_SLOT_ID_INVALID;
	if (!st.slots[i].has_token || !(st.slots[i].flags & CKF_TOKEN_PRESENT))
		return CKR_TOKEN_NOT_PRESENT;
	if (!(flags & CKF_SERIAL_SESSION))
		return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
	if (flags & CKF_RW_SESSION) {
		log_call("read-write session requested");
		return CKR_FUNCTION_NOT_SUPPORTED; /* a read-only token */
	}
	if (!phSession)
		return CKR_ARGUMENTS_BAD;
	for (int h = 0; h < MAX_SESSIONS; h++) {
		if (!st.sessions[h].open) {
			memset(&st.sessions[h], 0, sizeof st.sessions[h]);
			st.sessions[h].open = 1;
			st.sessions[h].slot = i;
			*phSession = (CK_SESSION_HANDLE)h + 1;
			return CKR_OK;
		}
	}
	return CKR_SESSION_COUNT;
}

static CK_RV C_CloseSession(CK_SESSION_HANDLE hSession)
{
	CK_RV rv = enter("C_CloseSession");
	if (rv != CKR_OK)
		return rv;
	struct session *s = session(hSession);
	if (!s)
		return CKR_SESSION_HANDLE_INVALID;
	s->open = 0;
	return CKR_OK;
}

static CK_RV C_CloseAllSessions(CK_SLOT_ID slotID)
{
	CK_RV rv = enter("C_CloseAllSessions");
	if (rv != CKR_OK)
		return rv;
	int i = slot_index(slotID);
	if (i < 0)
		return CKR_SLOT_ID_INVALID;
	for (int h = 0; h < MAX_SESSIONS; h++)
		if (st.sessions[h].slot == i)
			st.sessions[h].open = 0;
	return CKR_OK;
}

static CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO *pInfo)
{
	CK_RV rv = enter("C_GetSessionInfo");
	if (rv != CKR_OK)
		return rv;
	struct session *s = session(hSession);
	if (!s)
		return CKR_SESSION_HANDLE_INVALID;
	if (!pInfo)
		return CKR_ARGUMENTS_BAD;
	pInfo->slotID = st.slots[s->slot].id;
	pInfo->state = CKS_RO_PUBLIC_SESSION;
	pInfo->flags = CKF_SERIAL_SESSION;
	pInfo->ulDeviceError = 0;
	return CKR_OK;
}

static CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE *pTemplate,
				 CK_ULONG ulCount)
{
	CK_RV rv = enter("C_GetAttributeValue");
	if (rv != CKR_OK)
		return rv;
	struct session *s = session(hSession);
	if (!s)
		return CKR_SESSION_HANDLE_INVALID;
	struct cert *c = object(s, hObject);
	if (!c)
		return CKR_OBJECT_HANDLE_INVALID;
	if (!pTemplate && ulCount)
		return CKR_ARGUMENTS_BAD;
	for (CK_ULONG i = 0; i < ulCount; i++) {
		CK_ULONG len;
		const void *v = attr(c, pTemplate[i].type, &len);
		if (!v) {
			pTemplate[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			rv = CKR_ATTRIBUTE_TYPE_INVALID;
		} else if (!pTemplate[i].pValue) {
			pTemplate[i].ulValueLen = len;
		} else if (pTemplate[i].ulValueLen < len) {
			pTemplate[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			if (rv == CKR_OK)
				rv = CKR_BUFFER_TOO_SMALL;
		} else {
			memcpy(pTemplate[i].pValue, v, len);
			pTemplate[i].ulValueLen = len;
		}
	}
	return rv;
}

static CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount)
{
	CK_RV rv = enter("C_FindObjectsInit");
	if (rv != CKR_OK)
		return rv;
	struct session *s = session(hSession);
	if (!s)
		return CKR_SESSION_HANDLE_INVALID;
	if (s->finding)
		return CKR_OPERATION_ACTIVE;
	if (!pTemplate && ulCount)
		return CKR_ARGUMENTS_BAD;
	struct slot *sl = &st.slots[s->slot];
	s->nfound = s->next = 0;
	for (int j = 0; j < sl->ncerts; j++) {
		int match = 1;
		for (CK_ULONG i = 0; i < ulCount && match; i++) {
			CK_ULONG len;
			const void *v = attr(&sl->certs[j], pTemplate[i].type, &len);
			match = v && len == pTemplate[i].ulValueLen && (len == 0 || memcmp(v, pTemplate[i].pValue, len) == 0);
		}
		if (match)
			s->found[s->nfound++] = s->slot * 100 + j + 1;
	}
	s->finding = 1;
	return CKR_OK;
}

static CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE *phObject, CK_ULONG ulMaxObjectCount,
			   CK_ULONG *pulObjectCount)
{
	CK_RV rv = enter("C_FindObjects");
	if (rv != CKR_OK)
		return rv;
	struct session *s = session(hSession);
	if (!s)
		return CKR_SESSION_HANDLE_INVALID;
	if (!s->finding)
		return CKR_OPERATION_NOT_INITIALIZED;
	if (!phObject || !pulObjectCount)
		return CKR_ARGUMENTS_BAD;
	CK_ULONG n = 0;
	while (n < ulMaxObjectCount && s->next < s->nfound)
		phObject[n++] = (CK_OBJECT_HANDLE)s->found[s->next++];
	*pulObjectCount = n;
	return CKR_OK;
}

static CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
	CK_RV rv = enter("C_FindObjectsFinal");
	if (rv != CKR_OK)
		return rv;
	struct session *s = session(hSession);
	if (!s)
		return CKR_SESSION_HANDLE_INVALID;
	if (!s->finding)
		return CKR_OPERATION_NOT_INITIALIZED;
	s->finding = 0;
	return CKR_OK;
}

/* The functions the probe never calls: logged (so a test sees any call to
 * C_Login or C_InitToken) and refused. They take no arguments here; on
 * x86-64 the caller cleans up its own arguments (Microsoft x64 and System
 * V conventions alike), so calling them through the list is harmless. */
#define STUB(name)                                                                                                     \
	static CK_RV stub_##name(void)                                                                                 \
	{                                                                                                              \
		log_call(#name);                                                                                       \
		return CKR_FUNCTION_NOT_SUPPORTED;                                                                     \
	}
STUB(C_GetMechanismList)
STUB(C_GetMechanismInfo)
STUB(C_InitToken)
STUB(C_InitPIN)
STUB(C_SetPIN)
STUB(C_GetOperationState)
STUB(C_SetOperationState)
STUB(C_Login)
STUB(C_Logout)
STUB(C_CreateObject)
STUB(C_CopyObject)
STUB(C_DestroyObject)
STUB(C_GetObjectSize)
STUB(C_SetAttributeValue)
STUB(C_EncryptInit)
STUB(C_Encrypt)
STUB(C_EncryptUpdate)
STUB(C_EncryptFinal)
STUB(C_DecryptInit)
STUB(C_Decrypt)
STUB(C_DecryptUpdate)
STUB(C_DecryptFinal)
STUB(C_DigestInit)
STUB(C_Digest)
STUB(C_DigestUpdate)
STUB(C_DigestKey)
STUB(C_DigestFinal)
STUB(C_SignInit)
STUB(C_Sign)
STUB(C_SignUpdate)
STUB(C_SignFinal)
STUB(C_SignRecoverInit)
STUB(C_SignRecover)
STUB(C_VerifyInit)
STUB(C_Verify)
STUB(C_VerifyUpdate)
STUB(C_VerifyFinal)
STUB(C_VerifyRecoverInit)
STUB(C_VerifyRecover)
STUB(C_DigestEncryptUpdate)
STUB(C_DecryptDigestUpdate)
STUB(C_SignEncryptUpdate)
STUB(C_DecryptVerifyUpdate)
STUB(C_GenerateKey)
STUB(C_GenerateKeyPair)
STUB(C_WrapKey)
STUB(C_UnwrapKey)
STUB(C_DeriveKey)
STUB(C_SeedRandom)
STUB(C_GenerateRandom)
STUB(C_GetFunctionStatus)
STUB(C_CancelFunction)
STUB(C_WaitForSlotEvent)

SP_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR *ppFunctionList);

static CK_FUNCTION_LIST functions = {
	{2, 40},
	C_Initialize,
	C_Finalize,
	C_GetInfo,
	C_GetFunctionList,
	C_GetSlotList,
	C_GetSlotInfo,
	C_GetTokenInfo,
	stub_C_GetMechanismList,
	stub_C_GetMechanismInfo,
	stub_C_InitToken,
	stub_C_InitPIN,
	stub_C_SetPIN,
	C_OpenSession,
	C_CloseSession,
	C_CloseAllSessions,
	C_GetSessionInfo,
	stub_C_GetOperationState,
	stub_C_SetOperationState,
	stub_C_Login,
	stub_C_Logout,
	stub_C_CreateObject,
	stub_C_CopyObject,
	stub_C_DestroyObject,
	stub_C_GetObjectSize,
	C_GetAttributeValue,
	stub_C_SetAttributeValue,
	C_FindObjectsInit,
	C_FindObjects,
	C_FindObjectsFinal,
	stub_C_EncryptInit,
	stub_C_Encrypt,
	stub_C_EncryptUpdate,
	stub_C_EncryptFinal,
	stub_C_DecryptInit,
	stub_C_Decrypt,
	stub_C_DecryptUpdate,
	stub_C_DecryptFinal,
	stub_C_DigestInit,
	stub_C_Digest,
	stub_C_DigestUpdate,
	stub_C_DigestKey,
	stub_C_DigestFinal,
	stub_C_SignInit,
	stub_C_Sign,
	stub_C_SignUpdate,
	stub_C_SignFinal,
	stub_C_SignRecoverInit,
	stub_C_SignRecover,
	stub_C_VerifyInit,
	stub_C_Verify,
	stub_C_VerifyUpdate,
	stub_C_VerifyFinal,
	stub_C_VerifyRecoverInit,
	stub_C_VerifyRecover,
	stub_C_DigestEncryptUpdate,
	stub_C_DecryptDigestUpdate,
	stub_C_SignEncryptUpdate,
	stub_C_DecryptVerifyUpdate,
	stub_C_GenerateKey,
	stub_C_GenerateKeyPair,
	stub_C_WrapKey,
	stub_C_UnwrapKey,
	stub_C_DeriveKey,
	stub_C_SeedRandom,
	stub_C_GenerateRandom,
	stub_C_GetFunctionStatus,
	stub_C_CancelFunction,
	stub_C_WaitForSlotEvent,
};

SP_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR *ppFunctionList)
{
	log_call("C_GetFunctionList");
	if (!ppFunctionList)
		return CKR_ARGUMENTS_BAD;
	*ppFunctionList = &functions;
	return CKR_OK;
}
