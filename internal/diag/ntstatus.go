package diag

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/sportello/sportello/internal/token"
)

// A Windows process killed by an exception it did not handle exits with
// the exception's NTSTATUS code as its exit code: 0xC0000005 for an access
// violation is exit code 3221225477. When the exception happens inside a
// module, the Go runtime of the probe child may instead print "Exception
// 0xc0000005 ..." on stderr and exit 2 (its last-chance handler), as it
// does on Windows itself; Wine lets the process die with the code. Both
// are decoded here into a crash naming the call.
//
// Codes and names are the Windows SDK's (ntstatus.h), checked against
// golang.org/x/sys/windows (zerrors_windows.go, generated from it); the
// delay-load codes are VcppException(ERROR_SEVERITY_ERROR,
// ERROR_MOD_NOT_FOUND / ERROR_PROC_NOT_FOUND) from Microsoft's C++ docs,
// "DLL delay load exception codes"; 0xE06D7363 is the code MSVC raises
// for a C++ throw ("msc").
var ntStatuses = map[uint32]struct{ name, it string }{
	0xC0000005: {"STATUS_ACCESS_VIOLATION", "violazione di accesso alla memoria"},
	0xC00000FD: {"STATUS_STACK_OVERFLOW", "stack esaurito da una ricorsione senza fine"},
	0xC0000409: {"STATUS_STACK_BUFFER_OVERRUN", "chiusura d'emergenza: il driver ha rilevato un danno alla propria memoria"},
	0xC0000602: {"STATUS_FAIL_FAST_EXCEPTION", "chiusura d'emergenza chiesta dal driver"},
	0xC0000374: {"STATUS_HEAP_CORRUPTION", "memoria (heap) danneggiata"},
	0xC0000135: {"STATUS_DLL_NOT_FOUND", "manca una DLL necessaria"},
	0xC0000139: {"STATUS_ENTRYPOINT_NOT_FOUND", "una DLL non contiene una funzione necessaria (versioni non compatibili)"},
	0xC0000142: {"STATUS_DLL_INIT_FAILED", "l'inizializzazione di una DLL non è riuscita"},
	0xC000007B: {"STATUS_INVALID_IMAGE_FORMAT", "una DLL è per un'altra architettura (32 e 64 bit mescolati)"},
	0xC06D007E: {"VcppException(ERROR_MOD_NOT_FOUND)", "manca una DLL che il driver carica durante l'uso"},
	0xC06D007F: {"VcppException(ERROR_PROC_NOT_FOUND)", "una DLL caricata dal driver non ha la funzione richiesta"},
	0xE06D7363: {"C++ exception", "eccezione C++ non gestita dal driver"},
	0xC000001D: {"STATUS_ILLEGAL_INSTRUCTION", "istruzione non valida per questo processore"},
	0xC0000096: {"STATUS_PRIVILEGED_INSTRUCTION", "istruzione privilegiata non consentita"},
	0xC0000094: {"STATUS_INTEGER_DIVIDE_BY_ZERO", "divisione per zero"},
	0xC0000095: {"STATUS_INTEGER_OVERFLOW", "overflow aritmetico"},
	0xC000008E: {"STATUS_FLOAT_DIVIDE_BY_ZERO", "divisione per zero in virgola mobile"},
	0xC0000090: {"STATUS_FLOAT_INVALID_OPERATION", "operazione in virgola mobile non valida"},
	0xC0000006: {"STATUS_IN_PAGE_ERROR", "impossibile leggere il codice del driver dal disco (disco o rete non disponibili)"},
	0xC0000017: {"STATUS_NO_MEMORY", "memoria esaurita"},
	0xC0000025: {"STATUS_NONCONTINUABLE_EXCEPTION", "eccezione non recuperabile"},
	0xC0000026: {"STATUS_INVALID_DISPOSITION", "gestione delle eccezioni del driver non valida"},
	0xC0000420: {"STATUS_ASSERTION_FAILURE", "verifica interna (assert) non riuscita"},
	0xC0000008: {"STATUS_INVALID_HANDLE", "uso di un handle non valido"},
	0x80000002: {"STATUS_DATATYPE_MISALIGNMENT", "accesso alla memoria non allineato"},
	0x80000003: {"STATUS_BREAKPOINT", "punto di interruzione (breakpoint) lasciato nel driver"},
}

// isException reports whether an exit code is an NTSTATUS of error or
// warning severity (top bits 11 or 10): no program exits with such a code
// on purpose, and a Unix exit status (0-255) never is one.
func isException(code uint32) bool { return code >= 0x80000000 }

// describeException is the Italian description of an exception code and
// its symbolic name, if known.
func describeException(code uint32) (it, name string) {
	if s, ok := ntStatuses[code]; ok {
		return s.it, s.name
	}
	return "eccezione di Windows non gestita", ""
}

// exceptionFault turns a child's exit code, or the exception the Go
// runtime reported on its stderr (watch), into a crash fault; ok is false
// when neither is an exception.
func exceptionFault(exitCode int, call string, reported uint32) (f token.Fault, ok bool) {
	code := uint32(exitCode)
	if exitCode < 0 || !isException(code) {
		if reported == 0 {
			return token.Fault{}, false
		}
		code = reported
	}
	it, name := describeException(code)
	f = token.Fault{Kind: token.FaultCrash, Call: call, Exception: fmt.Sprintf("0x%08X", code), Detail: it}
	if name != "" {
		f.Detail += " (" + name + ")"
	}
	return f, true
}

// goException matches the Go runtime's report of an exception it could
// not handle: "Exception 0xc0000005 0x0 0x0 0x7ffb...".
var goException = regexp.MustCompile(`^Exception (0x[0-9a-fA-F]{1,8}) 0x`)

// reportedException is the code of such a line, or 0.
func reportedException(line string) uint32 {
	m := goException.FindStringSubmatch(line)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseUint(m[1][2:], 16, 32)
	if err != nil || !isException(uint32(v)) {
		return 0
	}
	return uint32(v)
}
