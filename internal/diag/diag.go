// Package diag runs the diagnostics end to end: it discovers the PKCS#11
// modules, probes each one in an isolated child process (the same binary,
// hidden subcommand "__probe") under a timeout, gathers the workstation's
// facts (package station; the smart-card service in another child,
// "__pcsc") at the same time, judges the result with the token and
// workstation checks and assembles the versioned Report that the
// renderers print. Runner adapts it to check.Runner for the TUI.
//
// A vendor module or a wedged pcscd may hang, crash or print garbage: the
// child takes the blow, and the parent turns it into a diagnosis naming
// the module or the service. The parent never hangs past the timeout and
// never panics.
package diag

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// ReportVersion is the version of the JSON report format; it changes only
// when a field changes meaning or goes away.
const ReportVersion = 1

// Defaults of the options.
const (
	DefaultWarnDays = 30
	DefaultTimeout  = 15 * time.Second
)

// Options tune a diagnosis.
type Options struct {
	// Modules to probe (--module); empty means SPORTELLO_PKCS11_MODULE,
	// else the known vendor libraries and the p11-kit registry.
	Modules  []string
	WarnDays int           // a certificate expiring within this many days warns; 0 means 30
	Timeout  time.Duration // for each module's probe; 0 means 15s
	Strict   bool          // warnings count as problems in the verdict
	Redact   bool          // mask codici fiscali and serial numbers
	// NoWorkstation leaves the workstation out: no smart-card service,
	// restart or clock facts and checks (the USB bus is still read for
	// token.present).
	NoWorkstation bool
	// MinGoSign is the lowest GoSign Desktop version the office accepts
	// (the office configuration's gosign.versione_minima); "" for none:
	// then workstation.gosign does not judge the version.
	MinGoSign string
	// Executable is the sportello binary that runs the probe child;
	// empty means this process's own executable.
	Executable string
	Tool       string // what made the report, e.g. "sportello 1.2.0"
	// Progress, when set, hears what is being probed (Italian, one line).
	Progress func(msg string)

	live *live // Runner.Run's emit, told each result once known (live.go)
}

func (o *Options) defaults() {
	if o.WarnDays <= 0 {
		o.WarnDays = DefaultWarnDays
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Tool == "" {
		o.Tool = "sportello"
	}
	if o.Progress == nil {
		o.Progress = func(string) {}
	}
}

// Report is the whole diagnosis: JSON format version 1 (see README.md).
type Report struct {
	Version     int            `json:"version"`
	Tool        string         `json:"tool"`
	GeneratedAt time.Time      `json:"generated_at"`
	WarnDays    int            `json:"warn_days"`
	Timeout     string         `json:"timeout"`
	Strict      bool           `json:"strict"`
	Redacted    bool           `json:"redacted"`
	Modules     []token.Module `json:"modules"`
	// Workstation is what was gathered about the computer (absent with
	// NoWorkstation).
	Workstation *station.Facts    `json:"workstation,omitempty"`
	USB         []token.USBDevice `json:"usb_devices"`
	Checks      []check.Result    `json:"checks"`
	Verdict     Verdict           `json:"verdict"`
}

// Verdict sums the checks up in one line.
type Verdict struct {
	OK      bool   `json:"ok"`     // no problem: exit code 0
	Status  string `json:"status"` // "ok", "warn" (warnings only) or "problem"
	Message string `json:"message"`
	Counts  Counts `json:"counts"`
}

// Counts are the checks per outcome.
type Counts struct {
	Pass  int `json:"pass"`
	Warn  int `json:"warn"`
	Fail  int `json:"fail"`
	Skip  int `json:"skip"`
	Error int `json:"error"`
}

// Diagnose discovers and probes the modules, gathers the workstation and
// judges the checks. The modules are probed concurrently (at most
// maxProbes at a time), and the workstation is gathered meanwhile. It
// honours ctx: once cancelled, the running probes are killed and the
// modules not yet probed are reported as cancelled.
func Diagnose(ctx context.Context, o Options) *Report {
	o.defaults()
	home, _ := os.UserHomeDir()
	exe, exeErr := o.executable()
	progress := o.Progress
	var progressMu sync.Mutex
	o.Progress = func(msg string) { progressMu.Lock(); defer progressMu.Unlock(); progress(msg) }
	// The workstation first: its PC/SC child starts while the modules are
	// being discovered.
	var wg sync.WaitGroup
	var facts *station.Facts
	if !o.NoWorkstation {
		wg.Add(1)
		go func() {
			defer wg.Done()
			facts = station.Gather(ctx, station.Options{
				GOOS: runtime.GOOS,
				Home: home,
				PCSC: func(ctx context.Context) *station.PCSC { return readPCSC(ctx, exe, exeErr, o.pcscTimeout()) },
				Part: o.live.partFunc(),
			})
		}()
	}
	mods := token.Discover(token.DiscoverOptions{
		Explicit: o.Modules,
		Env:      os.Getenv(token.EnvModule),
		GOOS:     runtime.GOOS,
		GOARCH:   runtime.GOARCH,
		Home:     home,
	})
	sem := make(chan struct{}, maxProbes)
	var probes sync.WaitGroup
	for i := range mods {
		m := &mods[i]
		if !m.NeedsProbe() {
			continue
		}
		probes.Add(1)
		go func() {
			defer probes.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			switch {
			case ctx.Err() != nil:
				m.SetFault(token.Fault{Kind: token.FaultCanceled})
			case exeErr != nil:
				m.SetFault(token.Fault{Kind: token.FaultExit, ExitCode: -1, Detail: textsafe.Line(exeErr.Error())})
			default:
				o.Progress(fmt.Sprintf("Controllo del modulo %s…", textsafe.Line(m.Path)))
				*m = probeChild(ctx, exe, *m, o)
			}
		}()
	}
	probes.Wait()
	for i := range mods {
		if mods[i].Slots == nil {
			mods[i].Slots = []token.Slot{}
		}
	}
	var usb []token.USBDevice
	if o.NoWorkstation { // else the workstation's facts hold the bus
		usb = station.ScanUSB(station.Options{GOOS: runtime.GOOS}).TokenDevices()
	}
	o.live.modules(mods, usb)
	wg.Wait()
	if facts != nil {
		usb = facts.USB.TokenDevices()
	}
	r := &Report{
		Version:     ReportVersion,
		Tool:        o.Tool,
		GeneratedAt: time.Now().UTC().Truncate(time.Second),
		WarnDays:    o.WarnDays,
		Timeout:     o.Timeout.String(),
		Strict:      o.Strict,
		Modules:     mods,
		Workstation: facts,
		USB:         usb,
		Checks:      check.TokenChecks(check.TokenInput{Modules: mods, USB: usb, Station: facts}),
	}
	if facts != nil {
		r.Checks = append(r.Checks, check.StationChecks(check.StationInput{Station: facts, Modules: mods, MinGoSign: o.MinGoSign})...)
	}
	if o.Redact {
		redact(r)
	}
	r.Verdict = NewVerdict(r.Checks, o.Strict)
	return r
}

// maxProbes is how many module probes run at once: each is a process
// loading a vendor library; more than a few at once only contend.
const maxProbes = 4

func (o *Options) executable() (string, error) {
	if o.Executable != "" {
		return o.Executable, nil
	}
	return os.Executable()
}

// NewVerdict sums results up: a problem is what check.UrgencyOf ranks
// as one (any fail, error or urgent warning); other warnings alone are
// not, unless strict.
func NewVerdict(results []check.Result, strict bool) Verdict {
	var c Counts
	problems, warnings := 0, 0 // warnings that are not problems
	for _, r := range results {
		switch check.UrgencyOf(r) {
		case check.UrgencyProblem:
			problems++
		case check.UrgencyWarn:
			warnings++
		}
		switch r.Status {
		case check.Pass:
			c.Pass++
		case check.Warn:
			c.Warn++
		case check.Fail:
			c.Fail++
		case check.Skip:
			c.Skip++
		case check.Error:
			c.Error++
		}
	}
	devices := len(check.Devices(results))
	on := ""
	if devices > 1 { // the verdict is the worst over all of them
		on = fmt.Sprintf(" su %d dispositivi", devices)
	}
	v := Verdict{Counts: c}
	switch {
	case problems > 0:
		v.Status = "problem"
		v.Message = "Trovati " + check.Plural(problems, "problema", "problemi")
		if problems == 1 {
			v.Message = "Trovato 1 problema"
		}
		if warnings > 0 {
			v.Message += " e " + check.Plural(warnings, "avviso", "avvisi")
		}
		v.Message += on + ": segui le indicazioni"
	case c.Warn > 0:
		v.Status = "warn"
		v.OK = !strict
		v.Message = "Nessun problema bloccante, ma " + check.Plural(c.Warn, "avviso", "avvisi") + " da controllare" + on
		if strict {
			v.Message += " (con --strict gli avvisi contano come problemi)"
		}
	default:
		v.Status = "ok"
		v.OK = true
		v.Message = "Nessun problema: il dispositivo di firma è pronto"
		if devices > 1 {
			v.Message = fmt.Sprintf("Nessun problema: i %d dispositivi di firma sono pronti", devices)
		}
	}
	return v
}
