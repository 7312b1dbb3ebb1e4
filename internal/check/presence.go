package check

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
)

// The triage of token.present when a driver loads but reads no device:
// with the workstation's facts it tells apart, each with its own title,
// remedy and node,
//
//   - no smart-card service (missing, stopped, hung): NodePCSCService;
//   - a reader with a card the loaded driver does not read: the card
//     named from its ATR and the driver it needs, NodeUnknownCard (a card
//     that does not answer the reset: put it in the right way);
//   - a reader with no card: NodeReaderEmpty, naming the reader;
//   - a device on the USB bus that no driver sees: NodeUSBNoDriver;
//   - nothing on the bus: NodeConnect (the only case where another USB
//     port is a fitting remedy);
//
// and, without the workstation's facts, what the USB bus alone says.
// A device present and read never gets here (present passes).

// unknownTokens reports whether every unread slot is one whose card the
// driver does not recognise (CKR_TOKEN_NOT_RECOGNIZED, as OpenSC says of
// a card it has no driver for): a card, not a broken device.
func (v *view) unknownTokens() bool {
	if len(v.unread) == 0 {
		return false
	}
	for _, u := range v.unread {
		if u.slot.Error == nil || u.slot.Error.Code != ckrTokenNotRecognized {
			return false
		}
	}
	return true
}

// ckrTokenNotRecognized is CKR_TOKEN_NOT_RECOGNIZED.
const ckrTokenNotRecognized = 0xE1

// absent is token.present when no device is read.
func (v *view) absent() Result {
	detail := fmt.Sprintf("%s, %d slot, nessun dispositivo letto.", Plural(len(v.loaded), "driver caricato", "driver caricati"), v.slotCount)
	if v.unknownTokens() {
		u := v.unread[0]
		detail = fmt.Sprintf("%s, %d slot: lo slot %d ha una carta che %s non riconosce (%s).",
			Plural(len(v.loaded), "driver caricato", "driver caricati"), v.slotCount, u.slot.ID, textsafe.Line(filepath.Base(u.mod.Path)), u.slot.Error.String())
	}
	f := v.in.Station
	if f == nil || f.PCSC == nil {
		return v.absentByUSB(detail)
	}
	if st, title, why, remedy, bad := pcscProblem(f); bad {
		if d := v.usbSentence(); d != "" {
			why += " " + d
		}
		r := v.result(TokenPresent, Fail, NodePCSCService, title, detail+" "+why, remedy)
		if st == Error {
			r.Remedy = remedyRestartPCSC(f.GOOS)
		}
		return withFacts(r, f)
	}
	p := f.PCSC
	r := concernedReader(p)
	if r != nil && r.CardPresent {
		return withFacts(v.unknownCard(detail, r), f)
	}
	if r != nil && !windowsIdle(f) {
		more := ""
		if len(p.Readers) > 1 {
			more = fmt.Sprintf(" (e %s, anch'essi vuoti)", Plural(len(p.Readers)-1, "altro lettore", "altri lettori"))
		}
		return withFacts(v.result(TokenPresent, Fail, NodeReaderEmpty, "Inserisci la smart card nel lettore "+q(r.Name),
			detail+" Il lettore "+q(r.Name)+more+" è collegato e il servizio delle smart card lo vede, ma non contiene una carta.", remedyInsertCard), f)
	}
	return withFacts(v.absentByUSB(detail), f)
}

// unknownCard: a card is in reader r but no driver reads it.
func (v *view) unknownCard(detail string, r *station.Reader) Result {
	if r.Mute {
		return v.result(TokenPresent, Fail, NodeUnknownCard, "La carta nel lettore "+q(r.Name)+" non risponde",
			detail+" Nel lettore "+q(r.Name)+" c'è una carta, ma non risponde all'accensione: è inserita al contrario, sporca o guasta.",
			"Estrai la carta e reinseriscila fino in fondo, con il chip dalla parte indicata sul lettore. Se non risponde neanche in un altro lettore, la carta è guasta: contatta l'ufficio.")
	}
	c := r.Card
	what := "una carta non identificata"
	if c != nil {
		what = "una " + textsafe.Line(c.Name)
		if c.Kind == "token" {
			what = "un " + textsafe.Line(c.Name)
		}
	}
	detail += fmt.Sprintf(" Nel lettore %s c'è %s (ATR %s)", q(r.Name), what, textsafe.Line(r.ATR))
	if c != nil && c.Source != "sportello" {
		detail += ", nome da " + textsafe.Line(filepath.Base(c.Source))
	}
	detail += ", ma nessun driver caricato la legge: " + v.loadedNames() + "."
	title := "La carta nel lettore " + q(r.Name) + " non è riconosciuta dal driver"
	if c != nil {
		title += ": è " + what
	}
	var remedy string
	switch loaded, ok := moduleLoaded(v.loaded, c); {
	case c == nil || c.Middleware == "":
		remedy = "Installa il driver indicato dall'ente che ha emesso la carta (la procedura di installazione dell'ufficio), poi riavvia il computer e reinserisci la carta."
	case ok:
		detail += " Il driver " + textsafe.Line(loaded) + ", che legge questo tipo di carta, è caricato ma non la legge."
		remedy = "Reinstalla il driver " + textsafe.Line(loaded) + " nella versione più recente, oppure installa " + textsafe.Line(c.Middleware) +
			", e riavvia il computer. Se ancora non la legge, la carta potrebbe non essere inizializzata o essere guasta: contatta l'ufficio."
	default:
		remedy = "Questa carta richiede " + textsafe.Line(c.Middleware) + ": installalo, riavvia il computer e reinserisci la carta."
	}
	return v.result(TokenPresent, Fail, NodeUnknownCard, title, detail, remedy)
}

// loadedNames lists the loaded modules by file name.
func (v *view) loadedNames() string {
	var names []string
	for _, m := range v.loaded {
		names = append(names, textsafe.Line(filepath.Base(m.Path)))
	}
	return strings.Join(names, ", ")
}

// usbDevices are the devices on the bus: the workstation's reading when
// there is one, else the token package's list.
func (v *view) usbDevices() (names []string, read bool) {
	if f := v.in.Station; f != nil && f.USB != nil {
		for _, d := range f.USB.Devices {
			names = append(names, textsafe.Line(d.Name()))
		}
		return names, f.USB.Error == ""
	}
	for _, d := range v.in.USB {
		names = append(names, textsafe.Line(fmt.Sprintf("%s %s (%s:%s)", d.Vendor, d.Product, d.VendorID, d.ProductID)))
	}
	return names, v.in.Station != nil
}

// usbSentence says what is on the bus, for a detail ("" when nothing).
func (v *view) usbSentence() string {
	names, _ := v.usbDevices()
	if len(names) == 0 {
		return ""
	}
	return "Sulla porta USB c'è " + strings.Join(names, "; ") + "."
}

// absentByUSB: no reader (or no PC/SC facts): the USB bus decides.
func (v *view) absentByUSB(detail string) Result {
	for _, m := range v.loaded {
		if len(m.Slots) == 0 && m.Library != nil && strings.Contains(m.Library.Manufacturer, "OpenSC") && (v.in.Station == nil || v.in.Station.PCSC == nil) {
			// OpenSC without the PC/SC service lists no reader: a silent "no token".
			detail += " Il driver OpenSC non vede alcun lettore: controlla che il servizio delle smart card sia attivo (pcscd su Linux e macOS, «Smart Card» su Windows)."
			break
		}
	}
	names, read := v.usbDevices()
	if len(names) > 0 {
		why := " Sulla porta USB c'è " + strings.Join(names, "; ") + ", ma nessun driver lo vede"
		if f := v.in.Station; f != nil && f.PCSC != nil {
			why += " e il servizio delle smart card non vede alcun lettore"
		}
		for _, d := range v.stationUSB() {
			if what, ok := windowsProblems[d.Problem]; ok {
				why += fmt.Sprintf("; Windows segnala che %s (codice %d)", what, d.Problem)
				break
			}
		}
		return v.result(TokenPresent, Fail, NodeUSBNoDriver, "Dispositivo collegato ma non letto dai driver", detail+why+".", remedyUSBDriver)
	}
	if v.unknownTokens() {
		return v.result(TokenPresent, Fail, NodeUnknownCard, "Il driver non riconosce il dispositivo inserito", detail,
			"Installa il driver indicato dall'ente che ha emesso il dispositivo (la procedura di installazione dell'ufficio), poi riavvia il computer.")
	}
	if read {
		return v.result(TokenPresent, Fail, NodeConnect, "Nessun dispositivo di firma collegato",
			detail+" Sulla porta USB non c'è nessun dispositivo di firma né un lettore di smart card.", remedyConnect)
	}
	return v.result(TokenPresent, Fail, NodeNotRecognised, "Nessun dispositivo di firma rilevato", detail,
		"Controlla che il dispositivo sia inserito. "+remedyNotRecognised)
}

func (v *view) stationUSB() []station.USBDevice {
	if f := v.in.Station; f != nil && f.USB != nil {
		return f.USB.Devices
	}
	return nil
}
