package diag

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// The child protocol. The parent runs
//
//	<executable> __probe --module PATH --warn-days N
//
// The child writes one token.Module as JSON on stdout and exits 0, also
// when the module is faulty (the fault is in the JSON). Before each
// PKCS#11 call it writes a trace line on stderr, so that the parent can
// say which call hung or crashed, and after the last one an end line, so
// that a failure after it is not blamed on the module. Anything a module
// prints goes to stderr.
const (
	ProbeCommand = "__probe"
	tracePrefix  = "sportello-probe: call "
	traceEnd     = "sportello-probe: end"
	maxReport    = 16 << 20 // bytes of JSON accepted from a child
	maxLine      = 4 << 10  // bytes of one stderr line looked at
)

// Tracer returns the child's trace function, writing on w.
func Tracer(w io.Writer) func(call string) {
	return func(call string) { fmt.Fprintf(w, "%s%s\n", tracePrefix, call) }
}

// TraceEnd tells the parent, on w, that the module's calls are over.
func TraceEnd(w io.Writer) { fmt.Fprintln(w, traceEnd) }

// runHelper runs exe with args as a child (the probe, the PC/SC reading)
// in its own process group (on Windows a kill-on-close job, the child
// started suspended until it is in it), killed with the group when
// timeout passes or ctx is cancelled. It returns what the child wrote on
// stdout (at most max bytes) and on stderr (watched), and, when it did not
// exit 0, why: cancelled, timed out in the call it traced last, or how it
// ended (exitFault). A child that exited 0 has no fault, even if the
// deadline struck as it did: its report counts.
func runHelper(ctx context.Context, timeout time.Duration, max int, exe string, args ...string) (*limitedBuffer, *stderrWatcher, *token.Fault) {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, exe, args...)
	isolate(cmd)
	cmd.WaitDelay = time.Second
	out := &limitedBuffer{max: max}
	watch := &stderrWatcher{}
	err := runChild(cmd, out, watch)
	var f token.Fault
	switch {
	case err == nil:
		return out, watch, nil
	case ctx.Err() != nil:
		f = token.Fault{Kind: token.FaultCanceled, Call: watch.lastCall}
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		f = token.FaultTimeoutAfter(timeout, watch.lastCall)
	default:
		f = exitFault(err, watch)
	}
	return out, watch, &f
}

// probeChild probes m in a child process (runHelper) under o.Timeout.
func probeChild(ctx context.Context, exe string, m token.Module, o Options) token.Module {
	out, watch, fault := runHelper(ctx, o.Timeout, maxReport, exe, ProbeCommand, "--module", m.Path, "--warn-days", strconv.Itoa(o.WarnDays))
	switch {
	case fault != nil:
		m.SetFault(*fault)
	case out.Len() == 0 && !watch.ended:
		// Exited 0 without a word: the module ended the process (exit()
		// inside a call), or the child could not finish.
		m.SetFault(token.Fault{Kind: token.FaultExit, Call: watch.lastCall, Detail: textsafe.Line(watch.first)})
	default:
		var got token.Module
		if derr := decodeModule(out, &got); derr != nil || got.Path != m.Path || (got.Status != token.ModuleOK && got.Status != token.ModuleFault) {
			detail := "risposta per un altro modulo o senza esito"
			if derr != nil {
				detail = derr.Error()
			}
			m.SetFault(token.Fault{Kind: token.FaultBadOutput, Call: watch.callIfOpen(), Detail: detail})
			return m
		}
		m.Status, m.Reason, m.Fault, m.Library, m.Slots = got.Status, got.Reason, got.Fault, got.Library, got.Slots
	}
	return m
}

// decodeModule reads exactly one JSON value, and nothing after it.
func decodeModule(out *limitedBuffer, m *token.Module) error {
	if out.overflow {
		return fmt.Errorf("risposta oltre %d byte", maxReport)
	}
	if out.Len() == 0 {
		return errors.New("nessuna risposta")
	}
	if err := json.Unmarshal(out.Bytes(), m); err != nil {
		return fmt.Errorf("risposta non valida: %v", err) // Go's words: for the JSON detail only
	}
	return nil
}

// exitFault explains a child that did not exit 0: killed by a signal, or
// the Go runtime reporting a signal raised inside the module (it exits 2
// after "signal SIGSEGV: segmentation violation"), or plain failure: an
// exit inside a module call, or a failure of the child itself (a Go
// panic, or after the module's calls ended), which is not blamed on the
// module.
func exitFault(err error, w *stderrWatcher) token.Fault {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return token.Fault{Kind: token.FaultExit, ExitCode: -1, Detail: textsafe.Line(err.Error())}
	}
	sig := signalName(ee)
	if sig == "" {
		sig = w.signal
	}
	if sig != "" {
		return token.Fault{Kind: token.FaultCrash, Call: w.callIfOpen(), Signal: sig, Detail: describeSignal(sig)}
	}
	if f, ok := exceptionFault(ee.ExitCode(), w.callIfOpen(), w.exception); ok {
		return f // Windows: an NTSTATUS exit code, or the Go runtime's report of one
	}
	code := ee.ExitCode()
	if code < 0 { // signalled, with a signal not named above
		return token.Fault{Kind: token.FaultCrash, Call: w.callIfOpen(), Signal: "segnale sconosciuto", Detail: textsafe.Line(ee.Error())}
	}
	call := w.callIfOpen()
	if w.panicked {
		call = ""
	}
	return token.Fault{Kind: token.FaultExit, Call: call, ExitCode: code, Detail: textsafe.Line(w.first)}
}

func describeSignal(sig string) string {
	switch sig {
	case "SIGSEGV":
		return "violazione di memoria nel modulo"
	case "SIGBUS":
		return "accesso alla memoria non valido nel modulo"
	case "SIGABRT":
		return "il modulo ha interrotto il programma"
	case "SIGILL":
		return "istruzione non valida nel modulo (architettura sbagliata?)"
	case "SIGFPE":
		return "errore aritmetico nel modulo"
	case "SIGKILL":
		return "processo terminato dall'esterno"
	}
	return ""
}

// goSignal matches how the Go runtime reports a signal raised in C code:
// "SIGSEGV: segmentation violation" or "[signal SIGSEGV: ...".
var goSignal = regexp.MustCompile(`(?:^|signal )(SIG[A-Z]+):`)

// stderrWatcher reads the child's stderr line by line, in bounded memory:
// the last traced call, the first signal the Go runtime reported, and the
// first other line.
type stderrWatcher struct {
	partial  []byte
	lastCall string
	ended    bool // the child said its module calls are over
	panicked bool // a Go panic in the child itself
	signal   string
	first    string
	// exception is an NTSTATUS the Go runtime reported (Windows).
	exception uint32
}

// callIfOpen is the module call in progress: the last one traced, unless
// the child said the calls were over.
func (w *stderrWatcher) callIfOpen() string {
	if w.ended {
		return ""
	}
	return w.lastCall
}

func (w *stderrWatcher) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = appendBounded(w.partial, p)
			break
		}
		w.partial = appendBounded(w.partial, p[:i])
		w.line(string(w.partial))
		w.partial = w.partial[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (w *stderrWatcher) flush() {
	if len(w.partial) > 0 {
		w.line(string(w.partial))
		w.partial = nil
	}
}

func appendBounded(b, p []byte) []byte {
	if room := maxLine - len(b); room < len(p) {
		p = p[:max(room, 0)]
	}
	return append(b, p...)
}

func (w *stderrWatcher) line(s string) {
	if i := strings.Index(s, tracePrefix); i >= 0 {
		w.lastCall = strings.TrimSpace(s[i+len(tracePrefix):])
		return
	}
	if c := reportedException(s); c != 0 && w.exception == 0 {
		w.exception = c
		return
	}
	if strings.Contains(s, traceEnd) {
		w.ended = true
		return
	}
	if strings.HasPrefix(s, "panic: ") || strings.HasPrefix(s, "fatal error: ") && !strings.Contains(s, "unexpected signal") {
		w.panicked = true
	}
	if m := goSignal.FindStringSubmatch(s); m != nil && w.signal == "" {
		w.signal = m[1]
		return
	}
	if w.first == "" && strings.TrimSpace(s) != "" {
		w.first = strings.TrimSpace(s)
	}
}

// limitedBuffer keeps at most max bytes and notes an overflow.
type limitedBuffer struct {
	bytes.Buffer
	max      int
	overflow bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := b.max - b.Len(); len(p) > room {
		b.overflow = true
		p = p[:max(room, 0)]
	}
	b.Buffer.Write(p)
	return n, nil
}
