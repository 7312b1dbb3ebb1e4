package token

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// FaultKind names what went wrong with a module as a whole.
type FaultKind string

// Fault kinds.
const (
	FaultMissing    FaultKind = "missing"     // the path given does not exist
	FaultNotLibrary FaultKind = "not_library" // the file is not a shared library at all
	FaultNotPKCS11  FaultKind = "not_pkcs11"  // a library without C_GetFunctionList
	FaultLoad       FaultKind = "load_failed" // the library does not load (architecture, dependencies)
	FaultWrongArch  FaultKind = "wrong_arch"  // a library for another architecture (a 32-bit driver), seen before loading
	FaultCall       FaultKind = "call_failed" // C_Initialize, C_GetInfo or C_GetSlotList failed
	FaultTimeout    FaultKind = "timeout"     // the probe did not finish in time: a hang
	FaultCrash      FaultKind = "crash"       // the probe died of a signal (SIGSEGV...)
	FaultExit       FaultKind = "exit"        // the probe exited with an error
	FaultBadOutput  FaultKind = "bad_output"  // the probe answered with something that is not a report
	FaultCanceled   FaultKind = "canceled"    // the caller cancelled the run
)

// Fault says why a module could not be used. Message is Italian and names
// the module; Detail is technical (a loader message, a stderr line).
type Fault struct {
	Kind     FaultKind  `json:"kind"`
	Call     string     `json:"call,omitempty"` // the PKCS#11 call running or failing
	Error    *CallError `json:"error,omitempty"`
	Signal   string     `json:"signal,omitempty"`
	ExitCode int        `json:"exit_code,omitempty"`
	Timeout  string     `json:"timeout,omitempty"`
	Detail   string     `json:"detail,omitempty"`
	Message  string     `json:"message"`

	// Exception is the NTSTATUS code of the exception that ended a Windows
	// probe ("0xC0000005"), for a crash there; Detail then says it in Italian.
	Exception string `json:"exception,omitempty"`
}

// SetFault marks m as faulty, filling f.Message from the other fields.
func (m *Module) SetFault(f Fault) {
	f.Message = f.describe(m.Path)
	m.Status = ModuleFault
	m.Fault = &f
	m.Reason = f.Message
}

// FaultTimeoutAfter is a timeout fault for a run limited to d.
func FaultTimeoutAfter(d time.Duration, call string) Fault {
	return Fault{Kind: FaultTimeout, Call: call, Timeout: d.String()}
}

func (f *Fault) describe(path string) string {
	name := filepath.Base(path)
	during := ""
	if f.Call != "" {
		during = " durante " + f.Call
	}
	switch f.Kind {
	case FaultMissing:
		return fmt.Sprintf("il modulo %s non esiste", path)
	case FaultNotLibrary:
		return fmt.Sprintf("%s non è una libreria: non può essere un modulo PKCS#11", path)
	case FaultNotPKCS11:
		return fmt.Sprintf("%s è una libreria ma non un modulo PKCS#11 (manca C_GetFunctionList)", path)
	case FaultLoad:
		return fmt.Sprintf("il modulo %s non si carica: %s", name, f.Detail)
	case FaultWrongArch:
		return fmt.Sprintf("il modulo %s è un %s", name, f.Detail)
	case FaultCall:
		if f.Error != nil {
			return fmt.Sprintf("il modulo %s ha risposto con un errore: %s", name, f.Error.String())
		}
		return fmt.Sprintf("il modulo %s ha risposto con un errore%s", name, during)
	case FaultTimeout:
		where := ""
		if f.Call != "" {
			where = " (fermo in " + f.Call + ")"
		}
		return fmt.Sprintf("il modulo %s non ha risposto entro %s%s: il driver o il dispositivo è bloccato", name, f.Timeout, where)
	case FaultCrash:
		return fmt.Sprintf("il modulo %s si è arrestato in modo anomalo (%s)%s", name, f.crashCause(), during)
	case FaultExit:
		if f.ExitCode < 0 {
			return fmt.Sprintf("impossibile avviare il controllo del modulo %s: %s", name, f.Detail)
		}
		return fmt.Sprintf("il controllo del modulo %s è terminato con un errore (codice %d)%s", name, f.ExitCode, during)
	case FaultBadOutput:
		return fmt.Sprintf("il controllo del modulo %s ha dato una risposta non valida%s", name, during)
	case FaultCanceled:
		return fmt.Sprintf("controllo del modulo %s annullato", name)
	}
	return fmt.Sprintf("il modulo %s non funziona (%s)", name, f.Kind)
}

// crashCause names what ended a crashed probe: the signal, or the Windows
// exception in Italian with its code (Detail without its symbolic name).
func (f *Fault) crashCause() string {
	if f.Exception == "" {
		return f.Signal
	}
	what := f.Detail
	if i := strings.LastIndex(what, " ("); i >= 0 && strings.HasSuffix(what, ")") {
		what = what[:i]
	}
	return what + ", eccezione " + f.Exception
}
