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
	FaultBadAnswer  FaultKind = "bad_answer"  // a call answered something impossible (two billion slots)
	FaultTimeout    FaultKind = "timeout"     // the probe did not finish in time: a hang
	FaultCrash      FaultKind = "crash"       // the probe died of a signal (SIGSEGV...)
	FaultExit       FaultKind = "exit"        // the probe exited with an error
	FaultBadOutput  FaultKind = "bad_output"  // the probe answered with something that is not a report
	FaultCanceled   FaultKind = "canceled"    // the caller cancelled the run
)

// Fault says why a module could not be used. Message is Italian, names
// the module and the call, and is all a person reads; Detail is technical
// (a loader message, a stderr line, Go's error text), kept for the JSON
// report only.
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
		if f.Call == "LoadLibrary" {
			// Windows: Detail is already Italian, from the loader's error code.
			return fmt.Sprintf("il modulo %s non si carica: %s", name, f.Detail)
		}
		return fmt.Sprintf("il modulo %s non si carica: %s", name, loadReason(f.Detail))
	case FaultWrongArch:
		return fmt.Sprintf("il modulo %s è un %s", name, f.Detail)
	case FaultCall:
		if f.Error != nil {
			return fmt.Sprintf("il modulo %s ha risposto con un errore: %s", name, f.Error.String())
		}
		return fmt.Sprintf("il modulo %s ha risposto con un errore%s", name, during)
	case FaultBadAnswer:
		if f.Error != nil {
			return fmt.Sprintf("il modulo %s ha dato una risposta impossibile durante %s: %s", name, f.Error.Call, f.Error.Message)
		}
		return fmt.Sprintf("il modulo %s ha dato una risposta impossibile%s", name, during)
	case FaultTimeout:
		where := ""
		if f.Call != "" {
			where = " (fermo in " + f.Call + ")"
		}
		return fmt.Sprintf("il modulo %s non ha risposto entro %s%s: il driver o il dispositivo è bloccato", name, f.Timeout, where)
	case FaultCrash:
		return fmt.Sprintf("il modulo %s si è arrestato in modo anomalo (%s)%s", name, f.crashCause(), during)
	case FaultExit:
		switch {
		case f.ExitCode < 0:
			return fmt.Sprintf("impossibile avviare il controllo del modulo %s: il programma di controllo (sportello stesso) non si avvia", name)
		case f.Call != "":
			// The child traces each call before making it: it ended inside the driver.
			return fmt.Sprintf("il driver %s ha chiuso il programma durante %s (codice di uscita %d)", name, f.Call, f.ExitCode)
		case f.ExitCode == 0:
			return fmt.Sprintf("il controllo del modulo %s è terminato senza dare una risposta", name)
		}
		return fmt.Sprintf("il controllo del modulo %s è terminato con un errore (codice %d)", name, f.ExitCode)
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

// loadReason says in Italian why the system loader refused a library,
// from its message (dlerror's English text, kept in Fault.Detail).
func loadReason(detail string) string {
	d := strings.ToLower(detail)
	switch {
	case strings.Contains(d, "wrong elf class"), strings.Contains(d, "mach-o, but wrong architecture"),
		strings.Contains(d, "incompatible architecture"), strings.Contains(d, "%1 is not a valid win32"):
		return "è per un'altra architettura (32 o 64 bit, x86 o ARM) diversa da quella di sportello"
	case strings.Contains(d, "cannot open shared object file"), strings.Contains(d, "library not loaded"),
		strings.Contains(d, "image not found"), strings.Contains(d, "module could not be found"):
		if lib, _, ok := strings.Cut(detail, ": cannot open shared object file"); ok {
			if i := strings.LastIndex(lib, ": "); i >= 0 {
				lib = lib[i+2:]
			}
			return "manca una libreria da cui dipende (" + filepath.Base(strings.TrimSpace(lib)) + "): reinstalla il driver"
		}
		return "manca una libreria da cui dipende: reinstalla il driver"
	case strings.Contains(d, "undefined symbol"), strings.Contains(d, "symbol not found"), strings.Contains(d, "procedure could not be found"):
		return "una libreria da cui dipende è di una versione diversa da quella attesa: reinstalla il driver"
	case strings.Contains(d, "permission denied"), strings.Contains(d, "access is denied"):
		return "mancano i permessi per leggerlo"
	case strings.Contains(d, "invalid elf header"), strings.Contains(d, "file too short"), strings.Contains(d, "not a mach-o"),
		strings.Contains(d, "cannot read file data"), strings.Contains(d, "elf load command"), strings.Contains(d, "unsupported version"):
		return "il file è danneggiato o non è una libreria valida"
	}
	return "il sistema non riesce a caricarlo (il dettaglio tecnico è nel rapporto JSON)"
}
