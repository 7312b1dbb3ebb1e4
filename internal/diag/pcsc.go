package diag

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// The PC/SC child. The parent runs
//
//	<executable> __pcsc
//
// which reads the smart-card service in its own process (station.ReadPCSC)
// and writes one station.PCSC as JSON on stdout, tracing each PC/SC call
// on stderr like the PKCS#11 probe. A wedged pcscd blocks
// SCardEstablishContext forever, and a broken libpcsclite can crash: the
// child takes either, and the parent reports it as the service's fault.
const (
	PCSCCommand = "__pcsc"
	// MaxPCSCTimeout bounds the reading whatever --timeout says: a
	// working service answers in milliseconds.
	MaxPCSCTimeout = 5 * time.Second
	maxPCSCReport  = 1 << 20
)

// pcscTimeout is the time the PC/SC reading may take.
func (o *Options) pcscTimeout() time.Duration { return min(o.Timeout, MaxPCSCTimeout) }

// readPCSC runs the PC/SC child under its timeout and turns what happened
// into facts: the child's report, or a fault naming the call it was in.
func readPCSC(ctx context.Context, exe string, exeErr error, timeout time.Duration) *station.PCSC {
	p := &station.PCSC{Readers: []station.Reader{}}
	if exeErr != nil {
		setPCSCFault(p, token.Fault{Kind: token.FaultExit, ExitCode: -1, Detail: textsafe.Line(exeErr.Error())})
		return p
	}
	out, _, fault := runHelper(ctx, timeout, maxPCSCReport, exe, PCSCCommand)
	if fault != nil {
		setPCSCFault(p, *fault)
		return p
	}
	var got station.PCSC
	if out.overflow {
		setPCSCFault(p, token.Fault{Kind: token.FaultBadOutput, Detail: fmt.Sprintf("risposta oltre %d byte", maxPCSCReport)})
	} else if derr := json.Unmarshal(out.Bytes(), &got); derr != nil || got.Status == "" {
		detail := "risposta senza esito"
		if derr != nil {
			detail = "risposta non valida: " + derr.Error()
		}
		setPCSCFault(p, token.Fault{Kind: token.FaultBadOutput, Detail: detail})
	} else {
		if got.Readers == nil {
			got.Readers = []station.Reader{}
		}
		return &got
	}
	return p
}

// setPCSCFault marks p as unreadable because of f, with an Italian
// message that names the call.
func setPCSCFault(p *station.PCSC, f token.Fault) {
	during := ""
	if f.Call != "" {
		during = " durante " + f.Call
	}
	switch f.Kind {
	case token.FaultTimeout:
		where := ""
		if f.Call != "" {
			where = " (fermo in " + f.Call + ")"
		}
		f.Message = fmt.Sprintf("il servizio delle smart card non ha risposto entro %s%s: è bloccato", f.Timeout, where)
	case token.FaultCrash:
		f.Message = fmt.Sprintf("la lettura del servizio delle smart card si è arrestata in modo anomalo (%s)%s", f.Signal, during)
		f.Detail = ""
	case token.FaultExit:
		if f.ExitCode < 0 {
			// Like a module's (token.Fault): the system's own words stay in
			// Detail, for the JSON; the user reads Italian.
			f.Message = "impossibile avviare la lettura del servizio delle smart card: il programma di lettura (sportello stesso) non si avvia"
		} else {
			f.Message = fmt.Sprintf("la lettura del servizio delle smart card è terminata con un errore (codice %d)%s", f.ExitCode, during)
		}
	case token.FaultBadOutput:
		f.Message = "la lettura del servizio delle smart card ha dato una risposta non valida" + during
	case token.FaultCanceled:
		f.Message = "lettura del servizio delle smart card annullata"
	default:
		f.Message = fmt.Sprintf("lettura del servizio delle smart card non riuscita (%s)", f.Kind)
	}
	p.Status = station.PCSCFault
	p.Call = f.Call
	p.Fault = &f
}
