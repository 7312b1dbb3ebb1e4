package check

import (
	"fmt"
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// Names of the token checks (the entries of Known).
const (
	TokenModule      = "token.module"
	TokenPresent     = "token.present"
	TokenPIN         = "token.pin"
	TokenPUK         = "token.puk"
	TokenCertificate = "token.certificate"
	TokenCNS         = "token.cns"
)

// TokenCheckNames lists the token checks in the order they are shown.
var TokenCheckNames = []string{TokenModule, TokenPresent, TokenPIN, TokenPUK, TokenCertificate, TokenCNS}

// TokenInput is what the token checks judge: the modules as probed, the
// known signature devices seen on the USB bus, and the workstation's
// facts when gathered (nil otherwise), which tell why no device is read.
type TokenInput struct {
	Modules []token.Module
	USB     []token.USBDevice
	Station *station.Facts
}

// TokenChecks judges in and returns the results of the token checks, in
// the order of TokenCheckNames: token.module once, then every other check
// once per device judged (see devices.go), in device order. With no
// initialised device there is one result per check, about no device in
// particular (Device nil): why none is read.
func TokenChecks(in TokenInput) []Result {
	v := newView(in)
	if devs := v.devices(); len(devs) > 0 {
		return v.perDevice(devs)
	}
	return []Result{v.module(), v.present(), v.pin(), v.puk(), v.certificate(), v.cnsCert()}
}

type tokenRef struct {
	mod  *token.Module
	slot *token.Slot
}

func (t tokenRef) tok() *token.Token { return t.slot.Token }

// unanswered reports whether s may hold a device that does not answer:
// no token was read because C_GetSlotInfo failed, or because a device is
// present and C_GetTokenInfo failed.
func unanswered(s *token.Slot) bool {
	return s.Token == nil && s.Error != nil && (s.TokenPresent || s.Error.Call == "C_GetSlotInfo")
}

type certRef struct {
	tokenRef
	cert *token.Certificate
}

type view struct {
	in        TokenInput
	loaded    []*token.Module
	faults    []*token.Module
	searched  int        // known paths looked at with nothing there
	tokens    []tokenRef // present, C_GetTokenInfo answered
	unread    []tokenRef // present, C_GetTokenInfo (or C_GetSlotInfo) failed
	slotCount int
	primary   *tokenRef
	sig, cns  *certRef // the certificates judged
	facts     map[string]string
	// dev is the device this view judges (nil: the whole machine, no
	// initialised device); multi is set when several devices are judged,
	// so that each result says which one it is about.
	dev   *Device
	multi bool
	same  int // other devices judged with the same label
}

func newView(in TokenInput) *view {
	v := &view{in: in, facts: map[string]string{}}
	for i := range in.Modules {
		m := &in.Modules[i]
		switch m.Status {
		case token.ModuleOK:
			v.loaded = append(v.loaded, m)
		case token.ModuleFault:
			v.faults = append(v.faults, m)
		case token.ModuleNotFound:
			v.searched++
		}
		for j := range m.Slots {
			s := &m.Slots[j]
			v.slotCount++
			switch {
			case s.Token != nil:
				v.tokens = append(v.tokens, tokenRef{m, s})
			case unanswered(s):
				v.unread = append(v.unread, tokenRef{m, s})
			}
		}
	}
	v.sig = v.bestCert(token.UsageSignature)
	v.cns = v.bestCert(token.UsageAuthentication)
	switch {
	case v.sig != nil:
		v.primary = &v.sig.tokenRef
	case v.cns != nil:
		v.primary = &v.cns.tokenRef
	default:
		for i := range v.tokens {
			if v.tokens[i].tok().Initialized {
				v.primary = &v.tokens[i]
				break
			}
		}
		if v.primary == nil && len(v.tokens) > 0 {
			v.primary = &v.tokens[0]
		}
	}
	v.fillFacts()
	return v
}

// certRank orders certificates: the most usable first.
var certRank = map[token.CertStatus]int{token.CertValid: 0, token.CertExpiring: 1, token.CertNotYetValid: 2, token.CertExpired: 3}

// bestCert picks the certificate of usage u a user would sign (or log in)
// with: the most usable status, then the latest expiry.
func (v *view) bestCert(u token.Usage) *certRef {
	var best *certRef
	for _, t := range v.tokens {
		for k := range t.tok().Certificates {
			c := &t.tok().Certificates[k]
			if c.Usage != u || c.ParseError != "" {
				continue
			}
			if best == nil || certRank[c.Status] < certRank[best.cert.Status] ||
				certRank[c.Status] == certRank[best.cert.Status] && c.NotAfter.After(best.cert.NotAfter) {
				best = &certRef{t, c}
			}
		}
	}
	return best
}

func (v *view) fillFacts() {
	set := func(k, val string) {
		if val = strings.TrimSpace(val); val != "" {
			v.facts[k] = textsafe.Line(val)
		}
	}
	switch {
	case v.primary != nil:
		set(FactModulePath, v.primary.mod.Path)
	case len(v.loaded) > 0:
		set(FactModulePath, v.loaded[0].Path)
	case len(v.faults) > 0:
		set(FactModulePath, v.faults[0].Path)
	}
	if v.primary != nil {
		t := v.primary.tok()
		set(FactTokenLabel, t.Label)
		set(FactTokenSerial, t.Serial)
		set(FactTokenManufacturer, t.Manufacturer)
		set(FactTokenModel, t.Model)
		set(FactPINState, t.PIN.Italian())
		set(FactPUKState, t.PUK.Italian())
	}
	certFacts := func(c *certRef, holder, days, notAfter, status string) {
		if c == nil {
			return
		}
		set(holder, holderOf(c))
		set(days, strconv.Itoa(*c.cert.DaysLeft))
		set(notAfter, italianDate(c.cert))
		set(status, c.cert.Status.Italian())
	}
	certFacts(v.sig, FactCertHolder, FactCertDaysLeft, FactCertNotAfter, FactCertStatus)
	if v.sig != nil {
		set(FactCertCF, v.sig.cert.CodiceFiscale)
	}
	certFacts(v.cns, FactCNSHolder, FactCNSDaysLeft, FactCNSNotAfter, FactCNSStatus)
}

func (v *view) result(name string, st Status, node, title, detail, remedy string) Result {
	r := Result{Check: name, Status: st, Title: title, Detail: detail, Remedy: remedy, Node: node, Facts: maps.Clone(v.facts)}
	if v.dev != nil && name != TokenModule {
		d := *v.dev
		r.Device = &d
		v.nameDevice(&r)
	}
	return r
}

// Remedies, from the help desk's documents.
const (
	remedyInstall = "Installa i driver del dispositivo seguendo la procedura di installazione " +
		"(Bit4id xPKI e SafeDive, avviati con «Esegui come amministratore»), poi riavvia il computer."
	remedyReinstall = "Reinstalla i driver del dispositivo seguendo la procedura di installazione e riavvia il computer; " +
		"se il problema resta, prova un'altra porta USB o un altro computer."
	remedyNotRecognised = "Prova a cambiare porta USB (evita hub e prolunghe), a reinstallare i driver " +
		"e a usare un altro computer."
	remedyPUK       = "Sblocca il PIN con il codice PUK, usando il software del dispositivo (GoSign Desktop). Senza il PUK serve una nuova emissione del dispositivo."
	remedyNewDevice = "Serve una nuova emissione del dispositivo: contatta l'ufficio per prendere appuntamento."
	remedyNewIssue  = "Contatta l'ufficio per prendere appuntamento per una nuova emissione."
	remedyDriver    = "Aggiorna o reinstalla il driver del dispositivo seguendo la procedura di installazione e riavvia il computer; " +
		"se il problema resta, prova su un altro computer. Non serve un nuovo dispositivo: i certificati ci sono, è il driver che non li restituisce."
)

func (v *view) module() Result {
	if len(v.faults) > 0 {
		var msgs []string
		for _, m := range v.faults {
			msgs = append(msgs, sentence(m.Reason))
		}
		title := "Il driver del dispositivo di firma non funziona"
		if len(v.loaded) > 0 {
			title = fmt.Sprintf("%d driver su %d non funzionano", len(v.faults), len(v.faults)+len(v.loaded))
			if len(v.faults) == 1 {
				title = fmt.Sprintf("Un driver su %d non funziona", len(v.faults)+len(v.loaded))
			}
		}
		title += ": " + textsafe.Line(filepath.Base(v.faults[0].Path))
		remedy := remedyReinstall
		if wrongArchOnly(v.faults) {
			remedy = remedyWrongArch
		}
		if v.allMissing() {
			remedy = "Controlla il percorso indicato con --module o " + token.EnvModule + "; se è giusto, " + strings.ToLower(remedyReinstall[:1]) + remedyReinstall[1:]
		}
		return v.result(TokenModule, Error, NodeInstall, title, strings.Join(msgs, " "), remedy)
	}
	if len(v.loaded) == 0 {
		detail := searchedDetail(v.in.Modules, v.searched)
		return v.result(TokenModule, Fail, NodeInstall, "Nessun driver del dispositivo di firma (modulo PKCS#11) installato", detail,
			remedyInstall+" Se il driver è in una cartella diversa, indicalo con --module.")
	}
	var names []string
	for _, m := range v.loaded {
		names = append(names, moduleName(m))
	}
	title := "Driver del dispositivo di firma caricato: " + names[0]
	if len(names) > 1 {
		title = fmt.Sprintf("%d driver del dispositivo di firma caricati", len(names))
	}
	return v.result(TokenModule, Pass, "", title, "Moduli PKCS#11 in uso: "+strings.Join(names, "; ")+".", "")
}

// allMissing reports whether every faulty module is a path that does not
// exist: a typo more likely than a broken driver.
func (v *view) allMissing() bool {
	for _, m := range v.faults {
		if m.Fault == nil || m.Fault.Kind != token.FaultMissing {
			return false
		}
	}
	return true
}

func moduleName(m *token.Module) string {
	s := filepath.Base(m.Path)
	if m.Library != nil {
		s += fmt.Sprintf(" (%s %s)", strings.TrimSpace(m.Library.Manufacturer), m.Library.Version)
	}
	return textsafe.Line(s)
}

func (v *view) present() Result {
	if len(v.loaded) == 0 {
		return v.result(TokenPresent, Skip, "", "Presenza del dispositivo non verificabile: nessun driver funzionante", "", "")
	}
	if v.primary != nil && v.primary.tok().Initialized {
		t := v.primary
		detail := fmt.Sprintf("%s, seriale %s, nello slot %d di %s.", deviceName(t.tok()), orUnknown(t.tok().Serial), t.slot.ID, textsafe.Line(filepath.Base(t.mod.Path)))
		return v.result(TokenPresent, Pass, "", "Dispositivo di firma presente: "+v.label(*t), detail, "")
	}
	if len(v.unread) > 0 && !v.unknownTokens() {
		u := v.unread[0]
		return v.result(TokenPresent, Error, NodeNotRecognised,
			fmt.Sprintf("Il dispositivo nello slot %d non risponde: %s", u.slot.ID, u.slot.Error.Message),
			fmt.Sprintf("%s ha risposto %s.", textsafe.Line(filepath.Base(u.mod.Path)), u.slot.Error.String()),
			remedyNotRecognised)
	}
	if v.primary != nil {
		t := v.primary
		return v.result(TokenPresent, Fail, NodeNotInitialised, "Il dispositivo presente non è inizializzato",
			fmt.Sprintf("%s nello slot %d di %s non è inizializzato: non contiene PIN né certificati.", deviceName(t.tok()), t.slot.ID, textsafe.Line(filepath.Base(t.mod.Path))),
			"Se è il tuo dispositivo di firma, contatta l'ufficio: serve una nuova emissione del dispositivo.")
	}
	return v.absent() // the triage: presence.go
}

// usable returns the primary token when it is initialised, else a skip
// result for check name.
func (v *view) usable(name, what string) (*token.Token, *Result) {
	if v.primary == nil || !v.primary.tok().Initialized {
		why := "nessun dispositivo di firma utilizzabile"
		if v.dev != nil && len(v.unread) > 0 {
			why = fmt.Sprintf("il dispositivo nello slot %d non risponde", v.unread[0].slot.ID)
		}
		r := v.result(name, Skip, "", what+" non verificabile: "+why, "", "")
		return nil, &r
	}
	return v.primary.tok(), nil
}

func (v *view) pin() Result {
	t, skip := v.usable(TokenPIN, "PIN")
	if skip != nil {
		return *skip
	}
	dev := v.label(*v.primary)
	detail := "Stato letto dal dispositivo senza usare tentativi del PIN."
	if t.ProtectedPath {
		detail += " Il PIN si digita sul tastierino del lettore."
	}
	switch t.PIN {
	case token.StateOK:
		return v.result(TokenPIN, Pass, "", "PIN del dispositivo "+dev+" utilizzabile", detail, "")
	case token.StateCountLow:
		return v.result(TokenPIN, Warn, "", "È stato inserito un PIN errato sul dispositivo "+dev,
			"Dall'ultimo accesso riuscito c'è stato almeno un tentativo sbagliato. "+detail,
			"Attenzione ai prossimi tentativi: dopo alcuni PIN errati il PIN si blocca. Se non ricordi il PIN, reimpostalo con il PUK.")
	case token.StateFinalTry:
		// A warning, not a fail: the PIN still works, and the flows must
		// tell this apart from a locked PIN. Urgent keeps it a problem for
		// diagnose's exit code.
		r := v.result(TokenPIN, Warn, NodePINFinalTry, "Resta un solo tentativo per il PIN del dispositivo "+dev,
			"Un altro PIN errato blocca il PIN. "+detail,
			"Non provare altri PIN a caso: se non sei sicuro, reimposta il PIN con il PUK. Senza il PUK serve una nuova emissione del dispositivo.")
		r.Urgent = true
		return r
	case token.StateLocked:
		if t.PUK == token.StateLocked {
			return v.result(TokenPIN, Fail, NodePUKLocked, "PIN e PUK del dispositivo "+dev+" bloccati",
				"Il PIN è bloccato e anche il PUK, che servirebbe a sbloccarlo. "+detail, remedyNewDevice)
		}
		return v.result(TokenPIN, Fail, NodePINLocked, "PIN del dispositivo "+dev+" bloccato", detail, remedyPUK)
	case token.StateToBeChanged:
		return v.result(TokenPIN, Warn, "", "Il PIN del dispositivo "+dev+" va cambiato",
			"Il dispositivo segnala un PIN iniziale o scaduto. "+detail,
			"Cambia il PIN con il software del dispositivo (GoSign Desktop) prima di firmare.")
	}
	return v.result(TokenPIN, Fail, "", "Il PIN del dispositivo "+dev+" non è impostato", detail, remedyNewDevice)
}

func (v *view) puk() Result {
	t, skip := v.usable(TokenPUK, "PUK")
	if skip != nil {
		return *skip
	}
	dev := v.label(*v.primary)
	detail := "Il PUK (SO PIN per PKCS#11) serve a sbloccare il PIN."
	pinUsable := t.PIN != token.StateLocked && t.PIN != token.StateFinalTry
	switch t.PUK {
	case token.StateUnknown:
		return v.result(TokenPUK, Skip, "", "Stato del PUK non comunicato dal driver",
			"Il driver "+textsafe.Line(filepath.Base(v.primary.mod.Path))+" non segnala lo stato del PUK: non si può sapere se è bloccato. "+detail,
			"Conserva il PUK ricevuto con il dispositivo: serve se il PIN si blocca.")
	case token.StateOK:
		return v.result(TokenPUK, Pass, "", "PUK del dispositivo "+dev+" utilizzabile", detail, "")
	case token.StateLocked:
		if pinUsable {
			return v.result(TokenPUK, Warn, NodePUKLocked, "PUK del dispositivo "+dev+" bloccato",
				detail+" Finché ricordi il PIN puoi firmare; se il PIN si blocca servirà un nuovo dispositivo.",
				"Non sbagliare il PIN. "+remedyNewDevice)
		}
		return v.result(TokenPUK, Fail, NodePUKLocked, "PUK del dispositivo "+dev+" bloccato", detail, remedyNewDevice)
	case token.StateFinalTry:
		return v.result(TokenPUK, Warn, "", "Resta un solo tentativo per il PUK del dispositivo "+dev,
			detail+" Un altro PUK errato lo blocca.", "Inserisci il PUK solo se sei sicuro: se si blocca serve una nuova emissione del dispositivo.")
	case token.StateCountLow:
		return v.result(TokenPUK, Warn, "", "È stato inserito un PUK errato sul dispositivo "+dev, detail,
			"Inserisci il PUK solo se sei sicuro: dopo alcuni tentativi errati si blocca.")
	case token.StateToBeChanged:
		return v.result(TokenPUK, Warn, "", "Il PUK del dispositivo "+dev+" va cambiato", detail,
			"Cambia il PUK con il software del dispositivo (GoSign Desktop).")
	}
	return v.result(TokenPUK, Skip, "", "PUK non impostato sul dispositivo "+dev, detail, "")
}

// certKind holds the wording that differs between the two certificate checks.
type certKind struct {
	check, what        string // check name; "certificato di firma"
	usage              token.Usage
	missingStatus      Status
	missing            string // missing: title
	missingWhy         string // when the token holds other certificates
	missingNote        string
	missingRemedy      string
	expiredNode        string
	expiringNode       string
	expiredConsequence string
}

var (
	signatureKind = certKind{
		check: TokenCertificate, what: "certificato di firma", usage: token.UsageSignature,
		missingStatus: Fail, missing: "Nessun certificato di firma sul dispositivo",
		missingWhy:    "nessuno è un certificato di firma qualificata (nonRepudiation o QC statements)",
		missingRemedy: remedyNewIssue, expiredNode: NodeCertExpired, expiringNode: NodeCertExpiring,
		expiredConsequence: "Con un certificato scaduto non puoi firmare.",
	}
	cnsKind = certKind{
		check: TokenCNS, what: "certificato CNS", usage: token.UsageAuthentication,
		missingStatus: Skip, missing: "Nessun certificato CNS (autenticazione) sul dispositivo",
		missingWhy:  "nessuno è un certificato di autenticazione CNS (digitalSignature e clientAuth)",
		missingNote: "Il certificato CNS serve solo per accedere ai servizi online con la CNS.",
		expiredNode: NodeCNS, expiringNode: NodeCNS,
		expiredConsequence: "Senza un certificato CNS valido non puoi accedere ai servizi online con la CNS.",
	}
)

func (v *view) certificate() Result { return v.cert(signatureKind, v.sig) }
func (v *view) cnsCert() Result     { return v.cert(cnsKind, v.cns) }

func (v *view) cert(k certKind, c *certRef) Result {
	t, skip := v.usable(k.check, capitalize(k.what))
	if skip != nil {
		return *skip
	}
	dev := v.label(*v.primary)
	if c == nil {
		if e := t.CertificatesError; e != nil {
			remedy := remedyNotRecognised
			if e.Name == "" { // an impossible answer: the driver, not the device
				remedy = remedyDriver
			}
			return v.result(k.check, Error, NodeNotRecognised, "Impossibile leggere i certificati del dispositivo "+dev,
				"Il driver ha risposto "+e.String()+".", remedy)
		}
		if n := unreadable(t); n > 0 {
			// Listed but not returned: unknown, not missing.
			return v.result(k.check, Error, NodeInstall,
				fmt.Sprintf("%s non leggibile sul dispositivo %s: il driver non restituisce il certificato", capitalize(k.what), dev),
				certSummary(t)+" "+unreadableWhy(t)+" Non si può sapere se tra questi c'è il "+k.what+".", remedyDriver)
		}
		detail := "Il dispositivo non contiene certificati."
		if len(t.Certificates) > 0 {
			detail = certSummary(t) + " " + k.missingWhy + "."
		}
		return v.result(k.check, k.missingStatus, strIf(k.missingStatus == Fail, k.expiredNode), k.missing+" "+dev,
			strings.TrimSpace(detail+" "+k.missingNote), k.missingRemedy)
	}
	x := c.cert
	of := k.what
	if h := strings.TrimSpace(c.tok().HolderOf(x)); h != "" {
		of += " di " + textsafe.Line(h)
	}
	date := italianDate(x)
	detail := fmt.Sprintf("%s %s sul dispositivo %s, emesso da %s, valido dal %s al %s.",
		capitalize(k.what), q(x.Label), dev, textsafe.Line(issuerName(x)), x.NotBefore.Local().Format(dateLayout), date)
	if n := unreadable(t); n > 0 {
		detail += " " + capitalize(Plural(n, "altro certificato non è leggibile", "altri certificati non sono leggibili")) + ": il driver non li restituisce."
	}
	if e := t.CertificatesError; e != nil {
		detail += " La lettura dei certificati si è interrotta: " + e.String() + "."
	}
	days := *x.DaysLeft
	switch x.Status {
	case token.CertExpired:
		return v.result(k.check, Fail, k.expiredNode, fmt.Sprintf("Il %s è scaduto il %s", of, date),
			fmt.Sprintf("Scaduto da %s. %s", Plural(-days, "giorno", "giorni"), detail), k.expiredConsequence+" "+remedyNewIssue)
	case token.CertExpiring:
		return v.result(k.check, Warn, k.expiringNode, fmt.Sprintf("Il %s %s: rinnovalo prima della scadenza", of, expiresIn(days)),
			detail, "Contatta l'ufficio per il rinnovo prima del "+date+": dopo la scadenza serve una nuova emissione.")
	case token.CertNotYetValid:
		return v.result(k.check, Fail, strIf(k.usage == token.UsageAuthentication, NodeCNS),
			fmt.Sprintf("Il %s non è ancora valido (dal %s)", of, x.NotBefore.Local().Format(dateLayout)), detail+ClockHint(x, v.in.Station),
			"Controlla che data e ora del computer siano corrette (impostazione automatica); se lo sono, il certificato sarà utilizzabile dalla data indicata.")
	}
	return v.result(k.check, Pass, "", fmt.Sprintf("Il %s è valido fino al %s (%s)", of, date, Plural(days, "giorno", "giorni")), detail, "")
}

// certSummary says how many certificates a token holds, e.g. "Trovati 3
// certificati (1 non leggibile):".
func certSummary(t *token.Token) string {
	n, bad := len(t.Certificates), 0
	for _, c := range t.Certificates {
		if c.ParseError != "" {
			bad++
		}
	}
	switch {
	case n == 1 && bad == 1:
		return "Trovato 1 certificato, non leggibile:"
	case n == 1:
		return "Trovato 1 certificato:"
	case bad > 0:
		return fmt.Sprintf("Trovati %s (%s):", Plural(n, "certificato", "certificati"), Plural(bad, "non leggibile", "non leggibili"))
	}
	return fmt.Sprintf("Trovati %s:", Plural(n, "certificato", "certificati"))
}

func expiresIn(days int) string {
	switch days {
	case 0:
		return "scade oggi"
	case 1:
		return "scade domani"
	}
	return fmt.Sprintf("scade tra %d giorni", days)
}

const dateLayout = "02/01/2006"

func italianDate(c *token.Certificate) string { return c.NotAfter.Local().Format(dateLayout) }

// issuerName is the issuer's CN, else its whole DN.
func issuerName(c *token.Certificate) string {
	for _, part := range strings.Split(c.Issuer, ", ") {
		if cn, ok := strings.CutPrefix(part, "CN="); ok {
			return cn
		}
	}
	return c.Issuer
}

func deviceName(t *token.Token) string {
	s := "senza etichetta"
	if strings.TrimSpace(t.Label) != "" {
		s = q(strings.TrimSpace(t.Label))
	}
	if mm := strings.TrimSpace(t.Manufacturer + " " + t.Model); mm != "" {
		s += " (" + textsafe.Line(mm) + ")"
	}
	return s
}

// q quotes text from a token, sanitised.
func q(s string) string { return "«" + textsafe.Line(s) + "»" }

// orUnknown is s sanitised, or "non indicato" when it is blank.
func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "non indicato"
	}
	return textsafe.Line(s)
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// sentence makes a sanitised sentence of s: capital letter, final period.
func sentence(s string) string {
	s = capitalize(textsafe.Line(s))
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// Plural formats n with the Italian singular or plural noun: "1 problema",
// "2 problemi". Every Italian count in sportello goes through it.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func strIf(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}
