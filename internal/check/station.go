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

// stationChecks maps each workstation check to its judgement; each file
// of checks adds its own in an init function.
var stationChecks = map[string]func(StationInput) Result{}

// StationChecks judges in and returns one Result per workstation check
// that has a judgement, in the order of StationCheckNames.
func StationChecks(in StationInput) []Result {
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
