// Package station is the facts model of the workstation around the
// signature device: the signing software installed (and the obsolete kind
// the installation procedure says to remove), the drivers, a pending
// restart, the certificate stores and browsers, the smart-card service
// with its readers and cards, the USB bus and the clock. Like package
// token it only gathers facts, read by per-OS code behind one portable
// API; package check judges them and package report shows them.
//
// Strings read from the machine (program names, registry values, reader
// names) are kept as they are; whoever prints them passes them through
// textsafe first.
package station

import (
	"context"
	"path/filepath"
	"sync"
)

// Facts is everything gathered about the workstation. A nil part was not
// gathered (not asked for, or not applicable on this OS).
type Facts struct {
	GOOS string `json:"os"`

	// Software, drivers and the stores that browsers use (software.go,
	// certstore.go, browser.go).
	Software   *Software   `json:"software,omitempty"`
	CertStores *CertStores `json:"cert_stores,omitempty"`
	Browsers   *Browsers   `json:"browsers,omitempty"`

	// The smart-card service and readers, the USB bus, a pending restart
	// and the clock (pcsc.go, usb.go, reboot.go, clock.go).
	PCSC   *PCSC   `json:"pcsc,omitempty"`
	USB    *USB    `json:"usb,omitempty"`
	Reboot *Reboot `json:"reboot,omitempty"`
	Clock  *Clock  `json:"clock,omitempty"`
}

// Options say what to gather and where.
type Options struct {
	GOOS string
	// Root prefixes every absolute path read (Linux files); "" is the
	// real root. Tests point it at a fixture tree.
	Root string
	// Home is the user's home directory (Firefox profiles, ~/.pki/nssdb).
	Home string
	// PCSC reads the smart-card service, normally in an isolated child
	// process (package diag provides it); nil leaves PC/SC out.
	PCSC func(context.Context) *PCSC
	// Part, when set, hears the facts gathered so far each time a part is
	// done (a copy: the live self-check judges what it can as soon as it
	// can). It may be called from several goroutines at once.
	Part func(*Facts)
}

// Gather reads every part concurrently and returns when all are done or
// ctx ends (a part still running then is left out, never waited for).
func Gather(ctx context.Context, o Options) *Facts {
	f := &Facts{GOOS: o.GOOS}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, g := range gatherers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			set := g(ctx, o)
			mu.Lock()
			set(f)
			snap := *f
			mu.Unlock()
			if o.Part != nil && ctx.Err() == nil {
				o.Part(&snap)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	mu.Lock()
	defer mu.Unlock()
	out := *f
	return &out
}

// gatherers are the parts Gather runs; each file of a part adds its own
// in an init function. A gatherer reads its part and returns what sets
// its field of Facts, which Gather calls under its lock (a nil part is
// left out: the field stays nil).
var gatherers []func(context.Context, Options) func(*Facts)

// path is where the absolute path p is read: under Options.Root when
// set (tests point it at a fixture tree).
func (o Options) path(p string) string {
	if o.Root == "" {
		return p
	}
	return filepath.Join(o.Root, p)
}
