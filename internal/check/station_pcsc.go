package check

import (
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// The judgement of the smart-card service, the USB bus, a pending restart
// and the clock (workstation.pcsc, workstation.usb, workstation.reboot,
// workstation.clock). Each says only what was read: a part that could
// not be read is a skip that says so, never a guess.
//
// Their outcomes are chosen so that firma:non-riconosciuto can branch on
// them after token.present failed (see flows/firma.yaml):
//
//	workstation.pcsc  fail: service missing or stopped   error: service hung
//	                  warn: readers, none with a card    pass: a card in a reader
//	                  skip: no reader at all, or not read
//	workstation.usb   fail: a device no driver sees      warn: nothing on the bus
//	                  pass: devices, seen                skip: not read
//
// When a device is read by its driver, what would otherwise be a problem
// (no service, an empty reader, nothing known on the bus) is no problem
// for signing: the checks say so and pass or skip.

// deviceRead reports whether any module read a token: the driver and
// the service work, whatever the token holds.
func deviceRead(mods []token.Module) bool {
	for _, m := range mods {
		for _, s := range m.Slots {
			if s.Token != nil {
				return true
			}
		}
	}
	return false
}

// deviceReady reports whether any module read an initialised token.
func deviceReady(mods []token.Module) bool {
	for _, m := range mods {
		for _, s := range m.Slots {
			if s.Token != nil && s.Token.Initialized {
				return true
			}
		}
	}
	return false
}

// stationResult builds a workstation Result with the facts of f (its
// Check is set by StationChecks).
func stationResult(f *station.Facts, st Status, node, title, detail, remedy string) Result {
	return Result{Status: st, Title: title, Detail: detail, Remedy: remedy, Node: node, Facts: workstationFacts(f)}
}

// concernedReader is the reader a sentence is about: the first holding a
// card, else the first; nil when there is none.
func concernedReader(p *station.PCSC) *station.Reader {
	if p == nil || len(p.Readers) == 0 {
		return nil
	}
	for i := range p.Readers {
		if p.Readers[i].CardPresent {
			return &p.Readers[i]
		}
	}
	return &p.Readers[0]
}

// workstationFacts are the facts of the smart-card, USB, restart and
// clock checks, sanitised.
func workstationFacts(f *station.Facts) map[string]string {
	out := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			out[k] = textsafe.Line(v)
		}
	}
	if f == nil {
		return out
	}
	if p := f.PCSC; p != nil {
		set(FactPCSCStatus, pcscWord(f))
		if r := concernedReader(p); r != nil {
			set(FactPCSCReader, r.Name)
			if r.CardPresent {
				set(FactCardName, cardName(r))
				set(FactCardATR, r.ATR)
				mw := "quello indicato dall'ente che ha emesso la carta (procedura di installazione)"
				if r.Card != nil && r.Card.Middleware != "" {
					mw = r.Card.Middleware
				}
				set(FactCardMiddleware, mw)
			}
		}
	}
	if u := f.USB; u != nil && len(u.Devices) > 0 {
		set(FactUSBDevice, u.Devices[0].Name())
	}
	if r := f.Reboot; r != nil && len(r.Items) > 0 {
		set(FactRebootItems, strings.Join(r.Items, ", "))
	}
	if c := f.Clock; c != nil {
		set(FactClockStatus, map[string]string{"synced": "sincronizzato", "automatic": "impostato automaticamente",
			"unsynced": "non sincronizzato", "unknown": "non verificato"}[c.Sync])
	}
	return out
}

// cardName names the card in r for a sentence.
func cardName(r *station.Reader) string {
	switch {
	case r.Mute:
		return "carta che non risponde (inserita al contrario o guasta)"
	case r.Card != nil:
		return r.Card.Name
	}
	return "carta non identificata"
}

// pcscWord is the service's state in one Italian word.
func pcscWord(f *station.Facts) string {
	p := f.PCSC
	switch {
	case p == nil:
		return "non verificato"
	case p.Status == station.PCSCOK:
		return "attivo"
	case p.Status == station.PCSCNotInstalled || serviceMissing(p):
		return "non installato"
	case p.Status == station.PCSCFault:
		return "bloccato"
	case p.Status == station.PCSCUnsupported:
		return "non verificato"
	}
	return "non attivo"
}

// serviceMissing: Windows has no Smart Card service at all (as under Wine).
func serviceMissing(p *station.PCSC) bool {
	return p.Service != nil && p.Service.State == "not_installed"
}

// windowsIdle: on Windows 8 and later the Smart Card service runs only
// while a reader is connected ("What's New in Smart Cards", Microsoft,
// 2016): stopped but not disabled means no reader, not a broken service.
func windowsIdle(f *station.Facts) bool {
	p := f.PCSC
	if f.GOOS != "windows" || (p.Status != station.PCSCNoService && p.Status != station.PCSCStopped) {
		return false
	}
	return p.Service != nil && p.Service.State != "not_installed" && p.Service.StartType != "disabled"
}

// pcscProblem describes a smart-card service that cannot be used; ok is
// false when the service works (or is idle on Windows for lack of a
// reader).
func pcscProblem(f *station.Facts) (st Status, title, detail, remedy string, ok bool) {
	p := f.PCSC
	if p == nil || p.Status == station.PCSCOK || p.Status == station.PCSCUnsupported || windowsIdle(f) {
		return "", "", "", "", false
	}
	call := ""
	if p.Call != "" {
		call = " " + p.Call + " ha risposto " + strings.TrimSpace(p.Code+" "+p.CodeName) + "."
	}
	switch {
	case p.Status == station.PCSCFault:
		msg := "La lettura non è riuscita."
		if p.Fault != nil {
			msg = sentence(p.Fault.Message)
		}
		return Error, "Il servizio delle smart card non risponde", msg, remedyRestartPCSC(f.GOOS), true
	case p.Status == station.PCSCNotInstalled || serviceMissing(p):
		detail := "Manca la libreria del servizio delle smart card (" + textsafe.Line(p.Library) + ")."
		if serviceMissing(p) {
			detail = "Windows non ha il servizio «Smart Card» (SCardSvr)." + call
		}
		return Fail, "Il servizio delle smart card non è installato", detail, remedyInstallPCSC(f.GOOS), true
	case p.Status == station.PCSCStopped && f.GOOS != "windows":
		return Fail, "Il servizio delle smart card rifiuta la connessione",
			"Il programma e il servizio pcscd usano versioni diverse di pcsc-lite (SCARD_E_SERVICE_STOPPED): di solito una copia installata a mano in /usr/local accanto a quella del sistema.",
			"Rimuovi la copia di pcsc-lite installata a mano e reinstalla i pacchetti pcscd e libpcsclite1 della distribuzione, poi riavvia il computer.", true
	case p.Status == station.PCSCError:
		return Error, "Il servizio delle smart card ha risposto con un errore", strings.TrimSpace(call), remedyRestartPCSC(f.GOOS), true
	}
	detail = "Il servizio non è in esecuzione." + call
	if s := p.Service; s != nil && s.StartType == "disabled" {
		detail = "Il servizio «Smart Card» di Windows è disattivato." + call
	}
	return Fail, "Il servizio delle smart card non è attivo", detail, remedyStartPCSC(f), true
}

func remedyInstallPCSC(goos string) string {
	switch goos {
	case "windows":
		return "Il servizio «Smart Card» fa parte di Windows: senza, nessun lettore né dispositivo di firma funziona. Rivolgiti al tecnico che gestisce il computer per ripristinarlo."
	case "darwin":
		return "Il servizio delle smart card fa parte di macOS: aggiorna o ripristina il sistema, poi riprova."
	}
	return "Installa il servizio delle smart card: su Debian e Ubuntu il pacchetto pcscd (sudo apt install pcscd), poi ricollega il dispositivo."
}

func remedyStartPCSC(f *station.Facts) string {
	switch f.GOOS {
	case "windows":
		return "Apri «Servizi» (services.msc), apri «Smart Card», imposta il tipo di avvio su «Manuale» o «Automatico» e premi «Avvia»; poi ricollega il dispositivo."
	case "darwin":
		return "Scollega e ricollega il dispositivo; se non basta, riavvia il computer."
	}
	return "Avvia il servizio delle smart card: sudo systemctl enable --now pcscd.socket (senza systemd: avvia pcscd), poi ricollega il dispositivo."
}

func remedyRestartPCSC(goos string) string {
	switch goos {
	case "windows":
		return "Riavvia il servizio «Smart Card» da «Servizi» (services.msc), oppure riavvia il computer; poi ricollega il dispositivo."
	case "darwin":
		return "Scollega il dispositivo e riavvia il computer."
	}
	return "Riavvia il servizio delle smart card (sudo systemctl restart pcscd), oppure riavvia il computer; poi ricollega il dispositivo."
}

// readerList describes every reader and its card, for a detail line.
func readerList(p *station.PCSC) string {
	var parts []string
	for i := range p.Readers {
		r := &p.Readers[i]
		s := q(r.Name) + ": "
		switch {
		case !r.CardPresent:
			s += "vuoto"
		default:
			s += cardName(r)
			if r.ATR != "" {
				s += " (ATR " + textsafe.Line(r.ATR) + ")"
			}
			if r.Card != nil && r.Card.Middleware != "" {
				s += ", richiede " + textsafe.Line(r.Card.Middleware)
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func pcscCheck(in StationInput) Result {
	f := in.Station
	p := f.PCSC
	read := deviceRead(in.Modules)
	switch {
	case p == nil:
		return stationResult(f, Skip, "", "Servizio delle smart card non controllato", "", "")
	case p.Status == station.PCSCUnsupported:
		return stationResult(f, Skip, "", "Servizio delle smart card non verificabile con questa versione", sentence(p.Detail), "")
	}
	if st, title, detail, remedy, bad := pcscProblem(f); bad {
		if read && st == Fail {
			return stationResult(f, Skip, "", title+": il dispositivo di firma è letto comunque", detail, "")
		}
		return stationResult(f, st, NodePCSCService, title, detail, remedy)
	}
	if windowsIdle(f) || len(p.Readers) == 0 {
		detail := ""
		if windowsIdle(f) {
			detail = "Windows avvia il servizio «Smart Card» quando si collega un lettore o un dispositivo di firma."
		}
		return stationResult(f, Skip, "", "Nessun lettore di smart card collegato", detail, "")
	}
	r := concernedReader(p)
	detail := fmt.Sprintf("%s: %s.", Plural(len(p.Readers), "lettore", "lettori"), readerList(p))
	if read && !deviceReady(in.Modules) {
		// The driver reads a device that is not initialised: no reader or
		// card problem (token.present says what it is).
		return stationResult(f, Skip, "", "Servizio delle smart card attivo: il dispositivo letto non è inizializzato", detail, "")
	}
	if r.CardPresent {
		return stationResult(f, Pass, "", fmt.Sprintf("Servizio delle smart card attivo: %s nel lettore %s", cardName(r), q(r.Name)), detail, "")
	}
	if read {
		return stationResult(f, Pass, "", "Servizio delle smart card attivo: "+Plural(len(p.Readers), "lettore", "lettori"), detail, "")
	}
	return stationResult(f, Warn, NodeReaderEmpty, "Nessuna carta nel lettore "+q(r.Name)+": inserisci la smart card", detail,
		remedyInsertCard)
}

const remedyInsertCard = "Inserisci la smart card nel lettore, fino in fondo, con il chip dalla parte indicata sul lettore. Se usi una chiavetta USB, collegala direttamente al computer."

// Windows device problem codes (CM_PROB_*) a user can act on.
var windowsProblems = map[int]string{
	1:  "non è configurato correttamente",
	10: "non si avvia",
	22: "è disattivato",
	28: "non ha un driver installato",
	31: "non funziona correttamente",
	43: "è stato fermato da Windows perché ha segnalato problemi",
}

func usbCheck(in StationInput) Result {
	f := in.Station
	u := f.USB
	read := deviceRead(in.Modules)
	switch {
	case u == nil:
		return stationResult(f, Skip, "", "Porte USB non controllate su questo sistema", "", "")
	case u.Error != "":
		return stationResult(f, Skip, "", "Porte USB non verificabili", sentence(u.Error), "")
	case len(u.Devices) == 0 && read:
		return stationResult(f, Skip, "", "Nessun lettore o dispositivo di firma noto sulla porta USB", "Il dispositivo di firma è letto dal suo driver.", "")
	case len(u.Devices) == 0:
		return stationResult(f, Warn, NodeConnect, "Nessun lettore né dispositivo di firma collegato alla porta USB",
			"Sulla porta USB non c'è nessun dispositivo di firma, né un lettore di smart card.", remedyConnect)
	}
	var names []string
	for _, d := range u.Devices {
		names = append(names, textsafe.Line(d.Name()))
	}
	list := strings.Join(names, "; ")
	for _, d := range u.Devices {
		if d.Problem != 0 {
			what, ok := windowsProblems[d.Problem]
			if !ok {
				what = "ha un problema"
			}
			return stationResult(f, Fail, NodeUSBNoDriver, fmt.Sprintf("Windows segnala che %s %s (codice %d)", textsafe.Line(d.Name()), what, d.Problem),
				"Sulla porta USB: "+list+".", remedyUSBDriver)
		}
	}
	seen := f.PCSC != nil && f.PCSC.Status == station.PCSCOK && len(f.PCSC.Readers) > 0
	switch {
	case read:
		return stationResult(f, Pass, "", "Sulla porta USB: "+list, "", "")
	case seen:
		return stationResult(f, Pass, "", "Sulla porta USB: "+list, "Il servizio delle smart card vede il lettore.", "")
	}
	detail := "Sulla porta USB: " + list + ", ma nessun driver lo legge e il servizio delle smart card non vede alcun lettore."
	if _, _, why, _, bad := pcscProblem(f); bad {
		detail = "Sulla porta USB: " + list + ", ma il servizio delle smart card non funziona: " + why
	}
	return stationResult(f, Fail, NodeUSBNoDriver, "Dispositivo collegato ma non letto dai driver: "+names[0], detail, remedyUSBDriver)
}

const (
	remedyConnect = "Collega il dispositivo: la chiavetta direttamente a una porta USB del computer (senza hub o prolunghe), oppure il lettore con la smart card inserita. " +
		"Se è già collegato, prova un'altra porta USB o un altro computer: il dispositivo o il cavo potrebbero essere guasti."
	remedyUSBDriver = "Il dispositivo è collegato: manca il driver che lo legge. Reinstalla i driver seguendo la procedura di installazione " +
		"(Bit4id xPKI e SafeDive, avviati con «Esegui come amministratore») e riavvia il computer."
)

func rebootCheck(in StationInput) Result {
	f := in.Station
	r := f.Reboot
	if r == nil {
		return stationResult(f, Skip, "", "Riavvio in sospeso non verificabile su questo sistema", "", "")
	}
	var found []string
	for _, m := range r.Markers {
		if m.Found {
			found = append(found, textsafe.Line(m.Source))
		}
	}
	switch r.Pending {
	case "yes":
		detail := "Lo segnala " + strings.Join(found, ", ") + "."
		if len(r.Items) > 0 {
			what := "Chiesto da"
			if f.GOOS == "windows" {
				what = "File da sostituire al riavvio"
			}
			var items []string
			for _, it := range r.Items {
				items = append(items, textsafe.Line(it))
			}
			detail += " " + what + ": " + strings.Join(items, ", ") + "."
		}
		return stationResult(f, Warn, NodeReboot, "Il sistema chiede di riavviare il computer", detail,
			"Riavvia il computer: i driver e gli aggiornamenti appena installati funzionano solo dopo il riavvio.")
	case "no":
		return stationResult(f, Pass, "", "Nessun riavvio in sospeso", "", "")
	}
	return stationResult(f, Skip, "", "Riavvio in sospeso non verificabile", sentence(r.Error), "")
}

func clockCheck(in StationInput) Result {
	f := in.Station
	c := f.Clock
	hint := ""
	if h, ok := clockSuspect(in.Modules, time.Now()); ok {
		hint = " " + h
	}
	if c == nil || c.Sync == "unknown" || c.Sync == "" {
		if hint != "" {
			return stationResult(f, Warn, "", "Data e ora del computer potrebbero essere sbagliate", strings.TrimSpace(hint), remedyClock(f.GOOS))
		}
		detail := ""
		if c != nil {
			detail = sentence(strings.TrimSpace(c.Detail + " " + c.Error))
		}
		return stationResult(f, Skip, "", "Sincronizzazione dell'orologio non verificabile", detail, "")
	}
	detail := sentence(c.Detail)
	switch c.Sync {
	case "synced":
		if hint != "" {
			return stationResult(f, Warn, "", "Orologio sincronizzato, ma un certificato non è ancora valido per poche ore", detail+hint, remedyClock(f.GOOS))
		}
		return stationResult(f, Pass, "", "Orologio del computer sincronizzato", detail, "")
	case "automatic":
		if hint != "" {
			return stationResult(f, Warn, "", "Data e ora del computer potrebbero essere sbagliate", detail+hint, remedyClock(f.GOOS))
		}
		return stationResult(f, Pass, "", "Data e ora del computer impostate automaticamente", detail, "")
	}
	return stationResult(f, Warn, "", "L'orologio del computer non risulta sincronizzato", detail+hint, remedyClock(f.GOOS))
}

func remedyClock(goos string) string {
	switch goos {
	case "windows":
		return "Apri Impostazioni > Data e ora e attiva «Imposta automaticamente l'ora», poi premi «Sincronizza ora»."
	case "darwin":
		return "Apri Impostazioni di Sistema > Generali > Data e ora e attiva l'impostazione automatica."
	}
	return "Attiva la sincronizzazione automatica dell'orologio (sudo timedatectl set-ntp true) e controlla data, ora e fuso orario."
}

// clockSuspectWindow is how close the start of a certificate's validity
// must be for "not yet valid" to point at the computer's clock: a
// certificate issued today looks "valid from tomorrow" to a clock some
// hours behind, while one not valid for days really is not.
const clockSuspectWindow = 48 * time.Hour

// clockSuspect finds a certificate that is not yet valid by less than
// clockSuspectWindow, and says what it suggests.
func clockSuspect(mods []token.Module, now time.Time) (string, bool) {
	for _, m := range mods {
		for _, s := range m.Slots {
			if s.Token == nil {
				continue
			}
			for i := range s.Token.Certificates {
				if h, ok := notYetValidHint(&s.Token.Certificates[i], now); ok {
					return h, true
				}
			}
		}
	}
	return "", false
}

// notYetValidHint: for a certificate not yet valid by hours, the sentence
// saying that the computer's clock is probably behind.
func notYetValidHint(c *token.Certificate, now time.Time) (string, bool) {
	if c.Status != token.CertNotYetValid || c.ParseError != "" {
		return "", false
	}
	ahead := c.NotBefore.Sub(now)
	if ahead <= 0 || ahead > clockSuspectWindow {
		return "", false
	}
	hours := int(ahead.Round(time.Hour) / time.Hour)
	when := "meno di un'ora"
	if hours >= 1 {
		when = "circa " + Plural(hours, "ora", "ore")
	}
	return fmt.Sprintf("Il certificato %s diventa valido tra %s: di solito vuol dire che data e ora del computer sono indietro.", q(c.Label), when), true
}

// ClockHint is the sentence token.certificate adds to a "not yet valid"
// certificate: a probable wrong clock when the validity starts within
// hours, with the clock's own state when known; "" otherwise.
func ClockHint(c *token.Certificate, f *station.Facts) string {
	h, ok := notYetValidHint(c, time.Now())
	if !ok {
		return ""
	}
	if f != nil && f.Clock != nil && f.Clock.Sync == "unsynced" {
		h += " L'orologio del computer infatti non risulta sincronizzato."
	}
	return " " + h
}

// moduleLoaded reports whether one of the loaded modules is one of the
// card's drivers (by file name, see station.ModuleKey).
func moduleLoaded(loaded []*token.Module, card *station.Card) (string, bool) {
	if card == nil {
		return "", false
	}
	for _, m := range loaded {
		k := station.ModuleKey(m.Path)
		for _, want := range card.Modules {
			if k == want {
				return filepath.Base(m.Path), true
			}
		}
	}
	return "", false
}

// withFacts adds the workstation facts to r's.
func withFacts(r Result, f *station.Facts) Result {
	if f == nil {
		return r
	}
	if r.Facts == nil {
		r.Facts = map[string]string{}
	}
	maps.Copy(r.Facts, workstationFacts(f))
	return r
}
