package station

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/sportello/sportello/internal/token"
)

// PCSC is the smart-card service (PC/SC) as a client sees it: whether it
// answers, its readers, the state of each and the ATR of the card in it,
// with the card named from its ATR. It is read without connecting to any
// card (SCardEstablishContext, SCardListReaders, SCardGetStatusChange with
// SCARD_STATE_UNAWARE): no APDU is ever sent, nothing is written.
//
// The library is loaded at run time (libpcsclite.so.1, winscard.dll, the
// PCSC framework) in an isolated child process (see package diag), because
// a wedged pcscd hangs SCardEstablishContext.
type PCSC struct {
	Status PCSCStatus `json:"status"`
	// Library is the PC/SC library loaded (or tried, when not installed).
	Library string `json:"library,omitempty"`
	// Call and Code say which call failed and how, when Status is not ok:
	// e.g. SCardEstablishContext, 0x8010001D (CodeName SCARD_E_NO_SERVICE).
	Call     string `json:"call,omitempty"`
	Code     string `json:"code,omitempty"`
	CodeName string `json:"code_name,omitempty"`
	// Detail is technical: the loader's message, a stderr line.
	Detail string `json:"detail,omitempty"`
	// Fault is set when the reading itself failed (Status fault): the
	// child hung, crashed or answered garbage.
	Fault *token.Fault `json:"fault,omitempty"`
	// Readers is every reader the service lists (always a list).
	Readers []Reader `json:"readers"`
	// Service is the Windows "Smart Card" service (SCardSvr), read from
	// the service manager without administrator rights.
	Service *Service `json:"service,omitempty"`
}

// PCSCStatus says whether the service answered.
type PCSCStatus string

// PC/SC statuses.
const (
	PCSCOK           PCSCStatus = "ok"            // a context was established
	PCSCNoService    PCSCStatus = "no_service"    // the library is there, the service is not running
	PCSCStopped      PCSCStatus = "stopped"       // SCARD_E_SERVICE_STOPPED: on Linux, client and daemon of different pcsc-lite versions
	PCSCNotInstalled PCSCStatus = "not_installed" // no PC/SC library on the system
	PCSCError        PCSCStatus = "error"         // a call failed with another code
	PCSCFault        PCSCStatus = "fault"         // the reading hung, crashed or answered garbage
	PCSCUnsupported  PCSCStatus = "unsupported"   // not readable by this build (see README)
)

// Reader is one reader and the card in it.
type Reader struct {
	Name string `json:"name"`
	// State is SCARD_READERSTATE.dwEventState; StateNames its set bits.
	State      uint32   `json:"state"`
	StateNames []string `json:"state_names"`
	// CardPresent: a card is in the reader (SCARD_STATE_PRESENT).
	CardPresent bool `json:"card_present"`
	// Mute: the card does not answer the reset (upside down, broken).
	Mute bool `json:"mute,omitempty"`
	// InUse: another program has the card open (SCARD_STATE_INUSE).
	InUse bool `json:"in_use,omitempty"`
	// ATR of the card, hex bytes separated by spaces ("3B FF 18 ...").
	ATR string `json:"atr,omitempty"`
	// Card is what the ATR says the card is, when known.
	Card *Card `json:"card,omitempty"`
}

// Card is a card named from its ATR.
type Card struct {
	Name string `json:"name"` // Italian, e.g. "CNS (Carta Nazionale dei Servizi) con sistema operativo STIncard"
	// Kind: cns, signature (firma digitale), cie, token (a USB key), other.
	Kind string `json:"kind"`
	// Middleware is the driver (PKCS#11 library) the card needs, Italian;
	// empty when not known.
	Middleware string `json:"middleware,omitempty"`
	// Modules are the file names of the PKCS#11 libraries that read it
	// (without extension: bit4xpki, asepkcs...), to tell whether the
	// loaded driver is one of them.
	Modules []string `json:"modules,omitempty"`
	// Source says where the name comes from: "sportello" (the built-in
	// table) or the path of smartcard_list.txt.
	Source string `json:"source"`
}

// Service is a Windows service's state, read with SC_MANAGER_CONNECT and
// SERVICE_QUERY_STATUS (no administrator rights needed).
type Service struct {
	Name string `json:"name"`
	// State: running, stopped, start_pending, stop_pending, paused,
	// not_installed, unknown.
	State string `json:"state"`
	// StartType: auto, manual, disabled, boot, system ("" when unreadable).
	StartType string `json:"start_type,omitempty"`
	Error     string `json:"error,omitempty"`
}

// StateWords is the service's state in Italian ("in esecuzione"); a state
// this version does not know is given as read.
func (s *Service) StateWords() string { return wordsOr(serviceWords, s.State) }

// StartWords is how the service starts, in Italian ("automatico"); "" when
// unreadable.
func (s *Service) StartWords() string { return wordsOr(startWords, s.StartType) }

var (
	serviceWords = map[string]string{"running": "in esecuzione", "stopped": "fermo", "start_pending": "in avvio", "stop_pending": "in arresto",
		"continue_pending": "in ripresa", "pause_pending": "in pausa", "paused": "in pausa", "not_installed": "non presente", "unknown": "stato non leggibile"}
	startWords = map[string]string{"auto": "automatico", "manual": "manuale", "disabled": "disattivato", "boot": "all'accensione", "system": "di sistema"}
)

func wordsOr(words map[string]string, s string) string {
	if w, ok := words[s]; ok {
		return w
	}
	return s
}

// Reader state bits (SCARD_STATE_*), the same in pcsc-lite and Windows.
const (
	stateIgnore      = 0x0001
	stateChanged     = 0x0002
	stateUnknown     = 0x0004
	stateUnavailable = 0x0008
	stateEmpty       = 0x0010
	statePresent     = 0x0020
	stateATRMatch    = 0x0040
	stateExclusive   = 0x0080
	stateInUse       = 0x0100
	stateMute        = 0x0200
	stateUnpowered   = 0x0400
)

var stateNames = []struct {
	bit  uint32
	name string
}{
	{stateIgnore, "SCARD_STATE_IGNORE"}, {stateChanged, "SCARD_STATE_CHANGED"},
	{stateUnknown, "SCARD_STATE_UNKNOWN"}, {stateUnavailable, "SCARD_STATE_UNAVAILABLE"},
	{stateEmpty, "SCARD_STATE_EMPTY"}, {statePresent, "SCARD_STATE_PRESENT"},
	{stateATRMatch, "SCARD_STATE_ATRMATCH"}, {stateExclusive, "SCARD_STATE_EXCLUSIVE"},
	{stateInUse, "SCARD_STATE_INUSE"}, {stateMute, "SCARD_STATE_MUTE"},
	{stateUnpowered, "SCARD_STATE_UNPOWERED"},
}

// newReader fills a Reader from its name, event state and ATR bytes.
func newReader(name string, state uint32, atr []byte) Reader {
	r := Reader{Name: name, State: state, StateNames: []string{}}
	for _, s := range stateNames {
		if state&s.bit != 0 {
			r.StateNames = append(r.StateNames, s.name)
		}
	}
	// The event state's high word counts events; only the low bits are flags.
	if rest := state &^ 0xffff07ff; rest != 0 {
		r.StateNames = append(r.StateNames, fmt.Sprintf("0x%x", rest))
	}
	r.CardPresent = state&statePresent != 0
	r.Mute = state&stateMute != 0
	r.InUse = state&stateInUse != 0
	if r.CardPresent && len(atr) > 0 {
		r.ATR = FormatATR(atr)
	}
	return r
}

// FormatATR writes an ATR as pcsc_scan and smartcard_list.txt do:
// upper-case hex bytes separated by spaces.
func FormatATR(atr []byte) string {
	var b strings.Builder
	for i, c := range atr {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%02X", c)
	}
	return b.String()
}

// PC/SC return codes that the diagnosis tells apart (winscard.h).
const (
	codeSuccess            = 0x00000000
	codeTimeout            = 0x8010000A // SCARD_E_TIMEOUT
	codeInsufficientBuffer = 0x80100008 // SCARD_E_INSUFFICIENT_BUFFER
	codeUnknownReader      = 0x80100009 // SCARD_E_UNKNOWN_READER
	codeNoService          = 0x8010001D // SCARD_E_NO_SERVICE
	codeServiceStopped     = 0x8010001E // SCARD_E_SERVICE_STOPPED
	codeNoReaders          = 0x8010002E // SCARD_E_NO_READERS_AVAILABLE
)

var codeNames = map[uint32]string{
	0x80100001: "SCARD_F_INTERNAL_ERROR",
	0x80100002: "SCARD_E_CANCELLED",
	0x80100003: "SCARD_E_INVALID_HANDLE",
	0x80100004: "SCARD_E_INVALID_PARAMETER",
	0x80100006: "SCARD_E_NO_MEMORY",
	0x80100008: "SCARD_E_INSUFFICIENT_BUFFER",
	0x80100009: "SCARD_E_UNKNOWN_READER",
	0x8010000A: "SCARD_E_TIMEOUT",
	0x8010000B: "SCARD_E_SHARING_VIOLATION",
	0x8010000C: "SCARD_E_NO_SMARTCARD",
	0x8010001D: "SCARD_E_NO_SERVICE",
	0x8010001E: "SCARD_E_SERVICE_STOPPED",
	0x80100017: "SCARD_E_READER_UNAVAILABLE",
	0x8010002E: "SCARD_E_NO_READERS_AVAILABLE",
	0x80100069: "SCARD_W_REMOVED_CARD",
}

// callFailed records that call returned code (not a success).
func (p *PCSC) callFailed(call string, code uint32) {
	p.Call = call
	p.Code = fmt.Sprintf("0x%08X", code)
	p.CodeName = codeNames[code]
	switch code {
	case codeNoService:
		p.Status = PCSCNoService
	case codeServiceStopped:
		p.Status = PCSCStopped
	default:
		p.Status = PCSCError
	}
}

// maxReaders bounds the readers kept from one listing: PC/SC itself
// allows 16 on pcsc-lite; a longer list is garbage.
const maxReaders = 64

// maxReaderList bounds the multi-string of reader names accepted (bytes).
const maxReaderList = 64 << 10

// splitMultiString splits a PC/SC multi-string ("a\0b\0\0") into its
// non-empty parts, at most maxReaders.
func splitMultiString(b []byte) []string {
	var out []string
	for _, s := range splitMulti(b) {
		out = append(out, string(s))
	}
	return out
}

// splitMulti is splitMultiString over bytes (pcsc-lite) or UTF-16 units
// (Windows' SCardListReadersW).
func splitMulti[T byte | uint16](b []T) [][]T {
	var out [][]T
	for len(b) > 0 && len(out) < maxReaders {
		i := 0
		for i < len(b) && b[i] != 0 {
			i++
		}
		if i == 0 {
			break
		}
		out = append(out, b[:i])
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return out
}

// readReaders lists the readers and reads the state of each, once
// ReadPCSC (Unix or Windows) has a context: no readers at all is no
// failure, and a reader that went away between the two calls
// (SCARD_E_UNKNOWN_READER) makes it list again, once.
func (p *PCSC) readReaders(listCall, statusCall string, list func() ([]string, uint32), states func([]string) ([]Reader, uint32)) {
	for attempt := 0; attempt < 2; attempt++ {
		names, rv := list()
		if rv == codeNoReaders {
			return
		}
		if rv != codeSuccess {
			p.callFailed(listCall, rv)
			return
		}
		readers, rv := states(names)
		if rv == codeUnknownReader && attempt == 0 {
			continue
		}
		if rv != codeSuccess && rv != codeTimeout {
			p.callFailed(statusCall, rv)
			return
		}
		p.Readers = readers
		return
	}
}

func init() { gatherers = append(gatherers, gatherPCSC) }

func gatherPCSC(ctx context.Context, o Options) func(*Facts) {
	p := readPCSCPart(ctx, o)
	return func(f *Facts) { f.PCSC = p }
}

// readPCSCPart runs the reading given in Options.PCSC (the isolated
// child: nil means PC/SC is not gathered), names the cards from their
// ATRs and, on Windows, adds the service's state.
func readPCSCPart(ctx context.Context, o Options) *PCSC {
	if o.PCSC == nil {
		return nil
	}
	var svc *Service
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); svc = smartCardService() }()
	p := o.PCSC(ctx)
	wg.Wait()
	if p == nil {
		return nil
	}
	if p.Readers == nil {
		p.Readers = []Reader{}
	}
	p.Service = svc
	// The list is read only when the built-in table does not name a card.
	lazyList := sync.OnceValue(func() *ATRList { return LoadATRList(o.Root, o.Home) })
	for i := range p.Readers {
		r := &p.Readers[i]
		if r.ATR == "" {
			continue
		}
		if atr, err := ParseATRHex(r.ATR); err == nil {
			r.Card = nameCard(atr, lazyList)
		}
	}
	return p
}

// ModuleKey is how a PKCS#11 library is matched with Card.Modules: its
// file name in lower case, without directory, extension and "lib"
// prefix ("/usr/lib/libbit4xpki.so" and "bit4xpki.dll" are "bit4xpki").
func ModuleKey(path string) string {
	base := strings.ToLower(path[strings.LastIndexAny(path, `/\`)+1:])
	for _, ext := range []string{".so", ".dll", ".dylib"} {
		if i := strings.Index(base, ext); i > 0 {
			base = base[:i]
		}
	}
	return strings.TrimPrefix(base, "lib")
}
