// Package check defines the vocabulary shared by everything that runs or
// shows a diagnostic: the check names that flows may branch on, the five
// outcomes, and the Result a check yields. It owns no probing code: the
// token package produces facts, and the checks in this package turn them
// into Results.
package check

import (
	"context"
	"fmt"
	"slices"
)

// Status is the outcome of a check. Flows branch on it (`outcomes:` keys).
type Status string

// The five outcomes, in the order a flow author lists them.
const (
	Pass  Status = "pass"  // all is well
	Warn  Status = "warn"  // works, but needs attention soon
	Fail  Status = "fail"  // a problem the user must fix
	Skip  Status = "skip"  // not applicable (e.g. no token, so no PIN state)
	Error Status = "error" // the check itself could not run (module fault, timeout)
)

// Statuses lists every outcome, in a stable order.
var Statuses = []Status{Pass, Warn, Fail, Skip, Error}

// Valid reports whether s is one of the five outcomes.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Result is what one check found. All user-facing text is Italian and already
// sanitised for a terminal.
type Result struct {
	Check  string `json:"check"`            // registry name, e.g. "token.pin"
	Status Status `json:"status"`           // outcome
	Title  string `json:"title"`            // one line: what was checked and the verdict
	Detail string `json:"detail,omitempty"` // facts behind the verdict
	Remedy string `json:"remedy,omitempty"` // what to do, from the source documents
	Node   string `json:"node,omitempty"`   // "flow:node" that helps further
	// Urgent marks a warning that diagnose still counts as a problem (exit
	// 1): the thing works, but one more mistake breaks it (a PIN at its
	// final try). Flows branch on Status, so they can tell it from a fail.
	Urgent bool `json:"urgent,omitempty"`
	// Facts are named values a flow text may quote (see flows/README.md),
	// e.g. "token.label", "cert.days_left", "cert.holder". The facts of a
	// result about a device are that device's.
	Facts map[string]string `json:"facts,omitempty"`
	// Device is the device the result is about; nil for a result about no
	// device in particular (token.module, the workstation, no device at all).
	Device *Device `json:"device,omitempty"`
}

// Device identifies the signature device a Result is about. Its strings
// are sanitised for a terminal.
type Device struct {
	Module string `json:"module"` // the PKCS#11 library that reads it
	Slot   uint   `json:"slot"`
	Serial string `json:"serial,omitempty"`
	Label  string `json:"label"`
	Holder string `json:"holder,omitempty"` // the holder's name, when a certificate says it
}

// Key identifies the device across probes: its module and serial number,
// or its slot when it has no serial (a device that does not answer).
func (d Device) Key() string {
	if d.Serial != "" {
		return d.Module + "|serial:" + d.Serial
	}
	return fmt.Sprintf("%s|slot:%d", d.Module, d.Slot)
}

// Runner runs checks from one probe of the machine.
type Runner interface {
	// Run runs the named checks (nil: every check of Known) from one probe
	// and returns every result: a token check once per device judged, a
	// workstation check once; in the order of Known, then device order.
	// emit, when not nil, is called with each result as soon as it is
	// known (the self-check screen fills in live). Honours ctx; never
	// panics; a check that cannot run is a Result with Status Error.
	Run(ctx context.Context, names []string, emit func(Result)) []Result
}

// Registry is the set of check names a flow may reference. The flow
// validator refuses any other name.
type Registry interface {
	Has(name string) bool
}

// Names is a Registry backed by a fixed list of names.
type Names []string

// Has reports whether name is in the list.
func (n Names) Has(name string) bool { return slices.Contains(n, name) }

// Known is the registry of checks that flows may use: the token checks.
var Known = Names(TokenCheckNames)

// FactKeys are the facts a check may report and a flow text may quote as
// {{key}} (see facts.go). A fact no check has reported shows as "—".
var FactKeys = Names(TokenFacts)
