package check

import (
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/token"
)

// Names of the workstation checks (the entries of Known after the token
// checks).
const (
	WorkstationObsolete  = "workstation.obsolete"  // obsolete signing software to remove (INST-1)
	WorkstationGoSign    = "workstation.gosign"    // GoSign Desktop installed and recent (INST-2, INST-3, FIRMA-9, FIRMA-13)
	WorkstationDrivers   = "workstation.drivers"   // Bit4id xPKI and SafeDive installed and recent (INST-4)
	WorkstationReboot    = "workstation.reboot"    // a restart pending after an installation (INST-5)
	WorkstationCertStore = "workstation.certstore" // the device's certificates where browsers look (INST-7)
	WorkstationBrowsers  = "workstation.browsers"  // browsers, and Firefox profiles with the device's module (INST-8)
	WorkstationPCSC      = "workstation.pcsc"      // the smart-card service, readers and cards (FIRMA-8, FIRMA-12)
	WorkstationUSB       = "workstation.usb"       // known token and reader vendors on the USB bus
	WorkstationClock     = "workstation.clock"     // the system clock is synchronised
)

// StationCheckNames lists the workstation checks in the order they are shown.
var StationCheckNames = []string{
	WorkstationObsolete, WorkstationGoSign, WorkstationDrivers, WorkstationReboot,
	WorkstationCertStore, WorkstationBrowsers, WorkstationPCSC, WorkstationUSB, WorkstationClock,
}

// StationInput is what the workstation checks judge: the workstation's
// facts, and the token modules as probed (which drivers load, which
// certificates the device holds).
type StationInput struct {
	Station *station.Facts
	Modules []token.Module
	// MinGoSign is the lowest GoSign Desktop version the office accepts
	// ("" for none known).
	MinGoSign string
}

// stationChecks maps each workstation check to its judgement: the
// software's in station_soft.go, the rest in station_pcsc.go.
var stationChecks = map[string]func(StationInput) Result{
	WorkstationObsolete:  func(in StationInput) Result { return newSoftView(in).obsolete() },
	WorkstationGoSign:    func(in StationInput) Result { return newSoftView(in).gosign() },
	WorkstationDrivers:   func(in StationInput) Result { return newSoftView(in).driversCheck() },
	WorkstationCertStore: func(in StationInput) Result { return newSoftView(in).certstore() },
	WorkstationBrowsers:  func(in StationInput) Result { return newSoftView(in).browsers() },
	WorkstationReboot:    rebootCheck,
	WorkstationPCSC:      pcscCheck,
	WorkstationUSB:       usbCheck,
	WorkstationClock:     clockCheck,
}

// StationChecks judges in and returns one Result per workstation check
// that has a judgement, in the order of StationCheckNames; none when the
// workstation was not gathered (in.Station nil).
func StationChecks(in StationInput) []Result {
	if in.Station == nil {
		return nil // the workstation was not gathered
	}
	var out []Result
	for _, name := range StationCheckNames {
		if f := stationChecks[name]; f != nil {
			r := f(in)
			r.Check = name
			out = append(out, r)
		}
	}
	return out
}

// The flow nodes the smart-card, USB, restart and clock checks (and the
// triage of token.present) point to; the flows define them.
const (
	NodePCSCService = "firma:servizio-smartcard"     // the smart-card service is missing, stopped or hung
	NodeReaderEmpty = "firma:lettore-vuoto"          // a reader with no card: insert it
	NodeUnknownCard = "firma:carta-non-riconosciuta" // a card the loaded driver does not know: its middleware
	NodeUSBNoDriver = "firma:usb-senza-driver"       // a device on the USB bus that no driver sees
	NodeConnect     = "firma:collegamento"           // nothing on the bus: cable, port, device
	NodeReboot      = "installazione:passo-5"        // restart after installing (INST-5)
	// NodeNotInitialised: a device read but not initialised (no PIN, no
	// certificate): a new issue, not a port or a driver.
	NodeNotInitialised = "firma:non-inizializzato"
)

// StationNodes lists every node the workstation checks of this block may
// point to.
var StationNodes = []string{NodePCSCService, NodeReaderEmpty, NodeUnknownCard, NodeUSBNoDriver, NodeConnect, NodeReboot, NodeNotInitialised}

// Facts of the smart-card, USB, restart and clock checks (every
// workstation result carries them; token.present too when its triage
// used them), sanitised, in Italian words:
//
//	pcsc.status      the smart-card service: attivo, non attivo, non installato, bloccato, non verificato
//	pcsc.reader      the reader concerned (the one holding a card, else the first)
//	card.name        the card in it, named from its ATR ("carta non identificata" when unknown)
//	card.atr         its ATR, hex
//	card.middleware  the driver the card needs, when known
//	usb.device       the first signature device or reader on the USB bus
//	reboot.items     what asked for the pending restart (packages, files)
//	clock.status     sincronizzato, impostato automaticamente, non sincronizzato, non verificato
const (
	FactPCSCStatus     = "pcsc.status"
	FactPCSCReader     = "pcsc.reader"
	FactCardName       = "card.name"
	FactCardATR        = "card.atr"
	FactCardMiddleware = "card.middleware"
	FactUSBDevice      = "usb.device"
	FactRebootItems    = "reboot.items"
	FactClockStatus    = "clock.status"
)

// StationFacts lists the fact keys of this block.
var StationFacts = []string{
	FactPCSCStatus, FactPCSCReader, FactCardName, FactCardATR, FactCardMiddleware,
	FactUSBDevice, FactRebootItems, FactClockStatus,
}
