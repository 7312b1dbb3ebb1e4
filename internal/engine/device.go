package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/textsafe"
)

// Several devices. A check node's probe may find several devices (the
// operator's key and the user's card, an old device beside the new one):
// the token checks then return one result per device. At the first check
// node of a walk whose check answers for several devices, the UI asks
// DeviceQuestion, listing each device with its main problem, and the walk
// follows the device chosen for the rest of it: later check nodes take
// that device's result without asking again (unless it is gone), and the
// facts flow texts quote are that device's. The end nodes, and the
// transcript, list every device of the last probe with its state, so that
// nothing found is left unsaid. With one device nothing is asked.

// DeviceQuestion is what the UIs ask when several devices answer.
const DeviceQuestion = "Quale dispositivo stai usando?"

// DeviceIntro follows DeviceQuestion: how many devices answered, and that
// the walk follows the one chosen.
func DeviceIntro(n int) string {
	return fmt.Sprintf("Sono collegati %d dispositivi di firma: scegli quello per cui chiedi aiuto; il percorso seguirà quello.", n)
}

// DeviceChoice is one device, as the device question and the summary of
// the devices show it. Its strings are sanitised.
type DeviceChoice struct {
	Device   check.Device
	Label    string       // «Firma Test» (MARIO ROSSI)
	Problem  string       // its main problem in a few words (check.Short), or NoProblem
	Status   check.Status // the status of that problem (Pass when none)
	Problems []string     // every problem, the main one first
	Chosen   bool         // the device this walk follows
}

// NoProblem is a device's state when no check found a problem.
const NoProblem = "nessun problema rilevato"

// Line is the choice in one line: label and main problem.
func (c DeviceChoice) Line() string { return c.Label + " — " + c.Problem }

// deviceState is the engine's memory of the devices in the current walk.
type deviceState struct {
	chosen   *check.Device
	probe    []check.Result // the last probe's results in this walk
	factsKey string         // the device whose facts Engine.facts holds
	serials  []string       // every device serial seen in the session (redaction)
	several  bool           // some probe of the session found several devices
}

func (d *deviceState) reset() {
	d.chosen = nil
	d.probe = nil
}

// CheckNames returns the checks a UI runs at the current check node, from
// one probe: its check and, for a token check, every token check, so that
// the device question can tell each device's main problem.
func (e *Engine) CheckNames() []string {
	n := e.Current()
	if n == nil || n.Check == "" {
		return nil
	}
	if slices.Contains(check.TokenCheckNames, n.Check) {
		return check.TokenCheckNames
	}
	return []string{n.Check}
}

// Resolve takes the results of one probe run at the current check node
// and returns the one the walk follows: the only result of the node's
// check, or the chosen device's. When the check answers for several
// devices and none is chosen (or the chosen one is gone), it returns no
// result but the devices to choose from: the UI asks DeviceQuestion, calls
// ChooseDevice and Resolve again.
func (e *Engine) Resolve(results []check.Result) (check.Result, []DeviceChoice) {
	n := e.Current()
	name := ""
	if n != nil {
		name = n.Check
	}
	e.noteProbe(results)
	rs := check.Of(results, name)
	switch {
	case len(rs) == 0:
		return check.Result{Check: name, Status: check.Error, Title: "Controllo non eseguito: " + name}, nil
	case len(rs) == 1:
		return rs[0], nil
	}
	if c := e.devices.chosen; c != nil {
		for _, r := range rs {
			if r.Device != nil && r.Device.Key() == c.Key() {
				return r, nil
			}
		}
	}
	var devs []check.Device
	for _, r := range rs {
		if r.Device == nil { // several results about no device: cannot be told apart
			return r, nil
		}
		devs = append(devs, *r.Device)
	}
	return check.Result{}, e.choices(devs, results)
}

// ChooseDevice makes the walk follow the device with key, one of the
// devices of the last probe.
func (e *Engine) ChooseDevice(key string) error {
	for _, d := range check.Devices(e.devices.probe) {
		if d.Key() == key {
			e.devices.chosen = &d
			return nil
		}
	}
	return fmt.Errorf("dispositivo «%s» non trovato", textsafe.Line(key))
}

// Device returns the device the walk follows, or nil when none was chosen
// (one device, or none, was ever found).
func (e *Engine) Device() *check.Device {
	if e.devices.chosen == nil {
		return nil
	}
	d := *e.devices.chosen
	return &d
}

// DevicesFound returns every device of the last probe of this walk with
// its state, when there were several (nil otherwise): what the end nodes
// and the transcript list.
func (e *Engine) DevicesFound() []DeviceChoice {
	devs := check.Devices(e.devices.probe)
	if len(devs) < 2 {
		return nil
	}
	return e.choices(devs, e.devices.probe)
}

// DevicesLines is DevicesFound as the lines of a short list, or nil.
func (e *Engine) DevicesLines() []string {
	var out []string
	for _, c := range e.DevicesFound() {
		s := c.Label + ": " + strings.Join(c.Problems, "; ")
		if c.Chosen {
			s += " (quello seguito in questo percorso)"
		}
		out = append(out, s)
	}
	return out
}

// DevicesHeading introduces DevicesLines.
func DevicesHeading(n int) string {
	return fmt.Sprintf("Dispositivi trovati (%d):", n)
}

// choices describes devs from the results of one probe.
func (e *Engine) choices(devs []check.Device, results []check.Result) []DeviceChoice {
	out := make([]DeviceChoice, len(devs))
	for i, d := range devs {
		c := DeviceChoice{Device: d, Label: DeviceLabel(d, devs), Status: check.Pass}
		c.Chosen = e.devices.chosen != nil && e.devices.chosen.Key() == d.Key()
		var mine []check.Result
		for _, r := range results {
			if r.Device != nil && r.Device.Key() == d.Key() {
				mine = append(mine, r)
			}
		}
		// One ranking and one wording with the status line and the
		// self-check (check.UrgencyOf, check.Short): the most urgent
		// first, in the order of the checks.
		slices.SortStableFunc(mine, func(a, b check.Result) int { return int(check.UrgencyOf(b)) - int(check.UrgencyOf(a)) })
		for _, r := range mine {
			if check.UrgencyOf(r) < check.UrgencyWarn {
				break
			}
			c.Problems = append(c.Problems, check.Short(r))
		}
		if len(c.Problems) == 0 {
			c.Problems = []string{NoProblem}
		} else {
			c.Status = mine[0].Status
		}
		c.Problem = c.Problems[0]
		out[i] = c
	}
	return out
}

// DeviceLabel names d among the devices devs of one probe, as the device
// question does: «label» (holder); by serial number when another device
// has the same label; by slot when it has no label. Sanitised.
func DeviceLabel(d check.Device, devs []check.Device) string {
	s := fmt.Sprintf("dispositivo nello slot %d", d.Slot)
	if strings.TrimSpace(d.Label) != "" {
		s = "«" + textsafe.Line(d.Label) + "»"
		for _, o := range devs {
			if o.Key() != d.Key() && o.Label == d.Label {
				if d.Serial != "" {
					s += " n. " + textsafe.Line(d.Serial)
				} else {
					s += fmt.Sprintf(" (slot %d)", d.Slot)
				}
				break
			}
		}
	} else if d.Serial != "" {
		s = "dispositivo senza etichetta n. " + textsafe.Line(d.Serial)
	}
	if strings.TrimSpace(d.Holder) != "" {
		s += " (" + textsafe.Line(d.Holder) + ")"
	}
	return s
}

// mergeFacts keeps the facts of r. The facts of a device replace those of
// another device wholesale: a text never mixes two devices.
func (e *Engine) mergeFacts(r check.Result) {
	if r.Device != nil {
		if k := r.Device.Key(); k != e.devices.factsKey {
			if e.devices.factsKey != "" {
				for _, f := range check.TokenFacts {
					delete(e.facts, f)
				}
			}
			e.devices.factsKey = k
		}
	}
	for k, v := range r.Facts {
		e.facts[k] = v
	}
}

// deviceNote names r's device in the transcript, when the walk saw
// several devices.
func (e *Engine) deviceNote(r *check.Result) string {
	if r == nil || r.Device == nil || !e.devices.several {
		return ""
	}
	return " (dispositivo " + DeviceLabel(*r.Device, check.Devices(e.devices.probe)) + ")"
}
