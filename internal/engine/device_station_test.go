package engine

import (
	"testing"

	"github.com/sportello/sportello/internal/check"
)

// A workstation check node after the device question (the installation
// flow's software checks) keeps the devices for the end nodes; a token
// probe that finds none forgets them.
func TestDevicesSurviveWorkstationChecks(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "inizio"}))
	must(t, e.Jump(Ref{"uno", "controllo"}))
	e.Resolve(twoDevices())
	must(t, e.ChooseDevice(devNew.Key()))
	e.Resolve([]check.Result{{Check: check.WorkstationGoSign, Status: check.Fail, Title: "GoSign Desktop non è installato"}})
	if n := len(e.DevicesFound()); n != 2 {
		t.Errorf("after a workstation check: %d devices listed, want 2", n)
	}
	e.Resolve([]check.Result{{Check: check.TokenPresent, Status: check.Fail, Title: "Nessun dispositivo di firma rilevato"}})
	if got := e.DevicesFound(); got != nil {
		t.Errorf("after a probe with no device: %+v", got)
	}
}
