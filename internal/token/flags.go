package token

import (
	"fmt"
	"strings"
)

// Slot flags (CK_SLOT_INFO.flags), from pkcs11t.h.
const (
	SlotTokenPresent = 0x1
	SlotRemovable    = 0x2
	SlotHardware     = 0x4
)

// Token flags (CK_TOKEN_INFO.flags), from pkcs11t.h.
const (
	FlagRNG                  = 0x1
	FlagWriteProtected       = 0x2
	FlagLoginRequired        = 0x4
	FlagUserPINInitialized   = 0x8
	FlagRestoreKeyNotNeeded  = 0x20
	FlagClockOnToken         = 0x40
	FlagProtectedAuthPath    = 0x100
	FlagDualCryptoOperations = 0x200
	FlagTokenInitialized     = 0x400
	FlagSecondaryAuth        = 0x800
	FlagUserPINCountLow      = 0x10000
	FlagUserPINFinalTry      = 0x20000
	FlagUserPINLocked        = 0x40000
	FlagUserPINToBeChanged   = 0x80000
	FlagSOPINCountLow        = 0x100000
	FlagSOPINFinalTry        = 0x200000
	FlagSOPINLocked          = 0x400000
	FlagSOPINToBeChanged     = 0x800000
	FlagErrorState           = 0x1000000
)

const (
	soFlags      = FlagSOPINCountLow | FlagSOPINFinalTry | FlagSOPINLocked | FlagSOPINToBeChanged
	userPINFlags = FlagUserPINCountLow | FlagUserPINFinalTry | FlagUserPINLocked | FlagUserPINToBeChanged
	pinSet       = FlagTokenInitialized | FlagUserPINInitialized
	unknownFlag  = "flag non previsto da PKCS#11 2.40"
	mootNote     = " (non significativo: il dispositivo non è inizializzato)"
)

type flagDef struct {
	bit     uint
	name    string
	meaning string
}

var slotFlagDefs = []flagDef{
	{SlotTokenPresent, "CKF_TOKEN_PRESENT", "dispositivo inserito"},
	{SlotRemovable, "CKF_REMOVABLE_DEVICE", "dispositivo rimovibile"},
	{SlotHardware, "CKF_HW_SLOT", "lettore fisico (slot hardware)"},
}

var tokenFlagDefs = []flagDef{
	{FlagRNG, "CKF_RNG", "genera numeri casuali"},
	{FlagWriteProtected, "CKF_WRITE_PROTECTED", "protetto dalla scrittura"},
	{FlagLoginRequired, "CKF_LOGIN_REQUIRED", "le operazioni di firma richiedono il PIN"},
	{FlagUserPINInitialized, "CKF_USER_PIN_INITIALIZED", "PIN impostato"},
	{FlagRestoreKeyNotNeeded, "CKF_RESTORE_KEY_NOT_NEEDED", "non serve una chiave per ripristinare le sessioni"},
	{FlagClockOnToken, "CKF_CLOCK_ON_TOKEN", "orologio interno"},
	{FlagProtectedAuthPath, "CKF_PROTECTED_AUTHENTICATION_PATH", "il PIN si digita sul tastierino del lettore"},
	{FlagDualCryptoOperations, "CKF_DUAL_CRYPTO_OPERATIONS", "operazioni crittografiche combinate"},
	{FlagTokenInitialized, "CKF_TOKEN_INITIALIZED", "dispositivo inizializzato"},
	{FlagSecondaryAuth, "CKF_SECONDARY_AUTHENTICATION", "autenticazione secondaria per le chiavi"},
	{FlagUserPINCountLow, "CKF_USER_PIN_COUNT_LOW", "almeno un PIN errato dall'ultimo accesso riuscito"},
	{FlagUserPINFinalTry, "CKF_USER_PIN_FINAL_TRY", "ultimo tentativo: un altro PIN errato blocca il PIN"},
	{FlagUserPINLocked, "CKF_USER_PIN_LOCKED", "PIN bloccato: si sblocca con il PUK"},
	{FlagUserPINToBeChanged, "CKF_USER_PIN_TO_BE_CHANGED", "PIN da cambiare (PIN iniziale o scaduto)"},
	{FlagSOPINCountLow, "CKF_SO_PIN_COUNT_LOW", "almeno un PUK (SO PIN) errato dall'ultimo uso riuscito"},
	{FlagSOPINFinalTry, "CKF_SO_PIN_FINAL_TRY", "ultimo tentativo per il PUK (SO PIN)"},
	{FlagSOPINLocked, "CKF_SO_PIN_LOCKED", "PUK (SO PIN) bloccato"},
	{FlagSOPINToBeChanged, "CKF_SO_PIN_TO_BE_CHANGED", "PUK (SO PIN) da cambiare"},
	{FlagErrorState, "CKF_ERROR_STATE", "il dispositivo è in stato di errore"},
}

// SlotFlags decodes CK_SLOT_INFO.flags.
func SlotFlags(v uint) Flags { return decode(v, slotFlagDefs, 0) }

// TokenFlags decodes CK_TOKEN_INFO.flags. On a token that is not
// initialised the SO PIN bits say nothing about a PUK (a free SoftHSM2 slot
// reports SO_PIN_LOCKED), and their meaning says so.
func TokenFlags(v uint) Flags {
	var moot uint
	if v&FlagTokenInitialized == 0 {
		moot = soFlags | userPINFlags
	}
	return decode(v, tokenFlagDefs, moot)
}

func decode(v uint, defs []flagDef, moot uint) Flags {
	f := Flags{Value: v, Hex: fmt.Sprintf("0x%08x", v), Set: []Flag{}}
	known := uint(0)
	for _, d := range defs {
		known |= d.bit
		if v&d.bit == 0 {
			continue
		}
		m := d.meaning
		if moot&d.bit != 0 {
			m += mootNote
		}
		f.Set = append(f.Set, Flag{Name: d.name, Meaning: m})
	}
	for bit := uint(1); bit != 0 && bit <= v; bit <<= 1 {
		if v&bit != 0 && known&bit == 0 {
			f.Set = append(f.Set, Flag{Name: fmt.Sprintf("0x%x", bit), Meaning: unknownFlag})
		}
	}
	return f
}

// State is the state of the user PIN or of the PUK (SO PIN), in the JSON
// vocabulary of the report.
type State string

// PIN and PUK states.
const (
	StateOK             State = "ok"
	StateCountLow       State = "count_low"       // a wrong attempt since the last good one
	StateFinalTry       State = "final_try"       // one more wrong attempt blocks it
	StateLocked         State = "locked"          // blocked
	StateToBeChanged    State = "to_be_changed"   // factory or expired value
	StateNotInitialized State = "not_initialized" // token (or PIN) not initialised
	StateUnknown        State = "unknown"         // PUK only: the module does not report SO state
)

// Italian is the state in the words a user reads.
func (s State) Italian() string {
	switch s {
	case StateOK:
		return "utilizzabile"
	case StateCountLow:
		return "tentativi errati"
	case StateFinalTry:
		return "ultimo tentativo"
	case StateLocked:
		return "bloccato"
	case StateToBeChanged:
		return "da cambiare"
	case StateNotInitialized:
		return "non inizializzato"
	case StateUnknown:
		return "non comunicato"
	}
	return string(s)
}

// PINState derives the user PIN state from the token flags. The most
// urgent state wins: locked, final try, to be changed, count low.
func PINState(flags uint) State {
	if flags&pinSet != pinSet {
		return StateNotInitialized
	}
	return pinState(flags, FlagUserPINLocked, FlagUserPINFinalTry, FlagUserPINToBeChanged, FlagUserPINCountLow)
}

// PUKState derives the PUK state from the SO PIN flags. PKCS#11 has no
// PUK: on Italian cards the SO PIN plays its part. Many modules (OpenSC
// among them) never set the SO flags, so with none set the state is
// unknown unless reportsSO says the module keeps them. A token that is not
// initialised is not_initialized, whatever its SO flags say.
func PUKState(flags uint, reportsSO bool) State {
	if flags&FlagTokenInitialized == 0 {
		return StateNotInitialized
	}
	if flags&soFlags == 0 && !reportsSO {
		return StateUnknown
	}
	return pinState(flags, FlagSOPINLocked, FlagSOPINFinalTry, FlagSOPINToBeChanged, FlagSOPINCountLow)
}

func pinState(flags, locked, final, change, low uint) State {
	switch {
	case flags&locked != 0:
		return StateLocked
	case flags&final != 0:
		return StateFinalTry
	case flags&change != 0:
		return StateToBeChanged
	case flags&low != 0:
		return StateCountLow
	}
	return StateOK
}

// soReporters are library manufacturer IDs (prefixes) of modules known to
// keep the SO PIN flags up to date, so that no SO flag means "PUK usable".
var soReporters = []string{"SoftHSM"}

// ReportsSOState reports whether the library is known to maintain the SO
// PIN flags.
func ReportsSOState(lib *Library) bool {
	if lib == nil {
		return false
	}
	for _, p := range soReporters {
		if strings.HasPrefix(lib.Manufacturer, p) {
			return true
		}
	}
	return false
}

// ckr names the return codes worth explaining to a user.
var ckr = map[uint]struct{ name, italian string }{
	0x05:  {"CKR_GENERAL_ERROR", "errore generico del modulo"},
	0x06:  {"CKR_FUNCTION_FAILED", "operazione non riuscita"},
	0x30:  {"CKR_DEVICE_ERROR", "errore del dispositivo"},
	0x31:  {"CKR_DEVICE_MEMORY", "memoria del dispositivo esaurita"},
	0x32:  {"CKR_DEVICE_REMOVED", "dispositivo rimosso durante la lettura"},
	0x54:  {"CKR_FUNCTION_NOT_SUPPORTED", "funzione non supportata dal modulo"},
	0xA0:  {"CKR_PIN_INCORRECT", "PIN errato"},
	0xA4:  {"CKR_PIN_LOCKED", "PIN bloccato"},
	0xB3:  {"CKR_SESSION_HANDLE_INVALID", "sessione chiusa"},
	0xE0:  {"CKR_TOKEN_NOT_PRESENT", "dispositivo non presente"},
	0xE1:  {"CKR_TOKEN_NOT_RECOGNIZED", "dispositivo non riconosciuto"},
	0xE2:  {"CKR_TOKEN_WRITE_PROTECTED", "dispositivo protetto dalla scrittura"},
	0x190: {"CKR_CRYPTOKI_NOT_INITIALIZED", "modulo non inizializzato"},
}

// NewCallError describes a failed PKCS#11 call. name is the CKR_ name if
// the caller knows it (may be empty).
func NewCallError(call string, code uint, name string) *CallError {
	known, ok := ckr[code]
	if name == "" {
		name = known.name
	}
	if name == "" {
		name = fmt.Sprintf("CKR_0x%X", code)
	}
	msg := known.italian
	if !ok {
		msg = "errore " + name
	}
	return &CallError{Call: call, Code: code, Name: name, Message: msg}
}

// BadAnswer describes a call that returned CKR_OK with an answer that
// cannot be true (two billion slots, an endless object search, a value
// longer than any certificate): msg says what, in Italian.
func BadAnswer(call, msg string) *CallError {
	return &CallError{Call: call, Message: msg}
}

// String is the error in one Italian line, e.g.
// "errore del dispositivo (CKR_DEVICE_ERROR in C_GetTokenInfo)", or
// "risposta impossibile in C_GetSlotList: ..." for a BadAnswer.
func (e *CallError) String() string {
	if e.Name == "" {
		return fmt.Sprintf("risposta impossibile in %s: %s", e.Call, e.Message)
	}
	return fmt.Sprintf("%s (%s in %s)", e.Message, e.Name, e.Call)
}
