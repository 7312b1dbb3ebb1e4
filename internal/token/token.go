// Package token is the facts model of the token diagnostics: which PKCS#11
// modules were tried, their slots, the tokens in them with their flags,
// PIN and PUK states, and the certificates they hold, as JSON-serialisable
// values. It also owns the pure logic behind those facts (flag decoding,
// certificate classification, Italian subject fields, module discovery,
// masking). It does not talk to PKCS#11 itself: package probe fills these
// values, package check judges them.
//
// Strings read from a token or a certificate are kept as they are; whoever
// prints them on a terminal passes them through textsafe first.
package token

// Source says how a module came to be tried.
type Source string

// Module sources.
const (
	SourceOption Source = "option"  // --module
	SourceEnv    Source = "env"     // SPORTELLO_PKCS11_MODULE
	SourceVendor Source = "vendor"  // the per-OS table of known vendor libraries
	SourceP11Kit Source = "p11-kit" // a *.module file of the p11-kit registry
)

// ModuleStatus says whether a module was used and, if not, why.
type ModuleStatus string

// Module statuses. A module in the report has one of these; the empty
// status only exists between discovery and the probe.
const (
	ModuleOK        ModuleStatus = "ok"        // loaded and probed
	ModuleNotFound  ModuleStatus = "not_found" // a known path with nothing there
	ModuleDuplicate ModuleStatus = "duplicate" // the same file as a module tried before
	ModuleSkipped   ModuleStatus = "skipped"   // registered, but not a signature device
	ModuleFault     ModuleStatus = "fault"     // missing, not loadable, hung, crashed, failed
)

// Module is everything found about one PKCS#11 module.
type Module struct {
	Path    string       `json:"path"`
	Source  Source       `json:"source"`
	Vendor  string       `json:"vendor,omitempty"`
	Status  ModuleStatus `json:"status"`
	Reason  string       `json:"reason"` // Italian: why it was or was not used
	Fault   *Fault       `json:"fault,omitempty"`
	Library *Library     `json:"library,omitempty"`
	Slots   []Slot       `json:"slots"`
}

// NeedsProbe reports whether discovery left the module to be probed.
func (m *Module) NeedsProbe() bool { return m.Status == "" }

// Library is CK_INFO.
type Library struct {
	Manufacturer    string `json:"manufacturer"`
	Description     string `json:"description"`
	Version         string `json:"version"`
	CryptokiVersion string `json:"cryptoki_version"`
}

// Slot is CK_SLOT_INFO plus the token in it, if any.
type Slot struct {
	ID           uint   `json:"id"`
	Description  string `json:"description"`
	Manufacturer string `json:"manufacturer"`
	Flags        Flags  `json:"flags"`
	TokenPresent bool   `json:"token_present"`
	Removable    bool   `json:"removable"`
	Hardware     bool   `json:"hardware"`
	// Error is set when C_GetSlotInfo or C_GetTokenInfo failed.
	Error *CallError `json:"error,omitempty"`
	Token *Token     `json:"token,omitempty"`
}

// Token is CK_TOKEN_INFO with the states derived from its flags and the
// certificates it holds.
type Token struct {
	Label        string `json:"label"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Serial       string `json:"serial"`
	Flags        Flags  `json:"flags"`
	Initialized  bool   `json:"initialized"`
	PIN          State  `json:"pin"`
	PUK          State  `json:"puk"`
	// ProtectedPath is CKF_PROTECTED_AUTHENTICATION_PATH: a PIN pad.
	ProtectedPath bool          `json:"protected_authentication_path"`
	Certificates  []Certificate `json:"certificates"`
	// CertificatesError is set when the certificates could not be listed.
	CertificatesError *CallError `json:"certificates_error,omitempty"`
}

// Flags is a raw flags word with the names and meanings of its set bits.
type Flags struct {
	Value uint   `json:"value"`
	Hex   string `json:"hex"`
	Set   []Flag `json:"set"`
}

// Flag is one set bit: its PKCS#11 name and what it means, in Italian.
type Flag struct {
	Name    string `json:"name"`
	Meaning string `json:"meaning"`
}

// CallError is a PKCS#11 call that returned something other than CKR_OK.
type CallError struct {
	Call    string `json:"call"`    // e.g. "C_GetTokenInfo"
	Code    uint   `json:"code"`    // the CK_RV
	Name    string `json:"name"`    // e.g. "CKR_DEVICE_ERROR"
	Message string `json:"message"` // Italian
}
