package check

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// The judgement of the workstation's signing software, drivers,
// certificate stores and browsers (items 1, 2, 3, 5 and 6 of the
// workstation issue): the installation procedure's steps INST-1, INST-2
// and INST-3, INST-4, INST-7 and INST-8, checked on the machine.

// The versions the installation procedure names (INST-4).
const (
	ProcedureXPKI     = "1.4.10.598"
	ProcedureSafeDive = "6.0.7"
)

// Facts the software checks report (see flows/README.md). Every one of
// the five checks carries all of them that are known.
const (
	FactObsolete        = "software.obsolete"        // the obsolete programs to remove, e.g. "DiKe 6 6.5.0, DikeUtil"
	FactOtherSigning    = "software.other_signing"   // other issuers' signing programs installed
	FactGoSignVersion   = "gosign.version"           // GoSign Desktop's version ("non rilevata" when unknown)
	FactGoSignScope     = "gosign.scope"             // "solo per questo utente", "per tutti gli utenti"
	FactGoSignMin       = "gosign.min_version"       // the office's minimum, when configured
	FactXPKIVersion     = "xpki.version"             // Bit4id xPKI's version
	FactSafeDiveVersion = "safedive.version"         // SafeDive's version
	FactDriverModule    = "drivers.module"           // the xPKI PKCS#11 library (bit4xpki.dll, libbit4xpki.so)
	FactCertsMissing    = "certstore.missing"        // the device's certificates not found where browsers look
	FactBrowsers        = "browsers.installed"       // e.g. "Mozilla Firefox, Google Chrome"
	FactFirefoxMissing  = "firefox.profiles_missing" // Firefox profiles without the device's driver
)

// StationSoftFacts lists every fact key of the software checks.
var StationSoftFacts = []string{
	FactObsolete, FactOtherSigning, FactGoSignVersion, FactGoSignScope, FactGoSignMin,
	FactXPKIVersion, FactSafeDiveVersion, FactDriverModule, FactCertsMissing, FactBrowsers, FactFirefoxMissing,
}

// The flow nodes the software checks point to: the procedure's steps.
const (
	NodeInstallStep1   = "installazione:passo-1"       // uninstall obsolete software
	NodeInstallStep2   = "installazione:passo-2"       // download GoSign Desktop
	NodeInstallStep4   = "installazione:passo-4"       // the Bit4id xPKI and SafeDive drivers
	NodeDriverError    = "installazione:modulo-errore" // drivers present but not working
	NodeInstallStep6   = "installazione:passo-6"       // SafeDive: import the certificates
	NodeInstallFirefox = "installazione:firefox"       // a browser, Firefox, that does not see the device
)

// StationSoftNodes lists every node the software checks may point to.
var StationSoftNodes = []string{NodeInstallStep1, NodeInstallStep2, NodeInstallStep4, NodeDriverError, NodeInstallStep6, NodeInstallFirefox}

// softView is StationInput with what the five checks share worked out.
type softView struct {
	in    StationInput
	goos  string
	sw    *station.Software
	facts map[string]string
	// drivers are the PKCS#11 modules of the device: the loaded modules
	// that read an initialised token; withDevice is false when no module
	// read one, and then drivers are all the loaded modules.
	drivers    []token.Module
	withDevice bool
	certs      []token.Certificate // the device's certificates, parsed
}

func newSoftView(in StationInput) *softView {
	v := &softView{in: in, facts: map[string]string{}}
	if in.Station != nil {
		v.goos = in.Station.GOOS
		v.sw = in.Station.Software
	}
	var loaded []token.Module
	for _, m := range in.Modules {
		if m.Status != token.ModuleOK {
			continue
		}
		loaded = append(loaded, m)
		device := false
		for _, s := range m.Slots {
			if s.Token == nil || !s.Token.Initialized {
				continue
			}
			device = true
			for _, c := range s.Token.Certificates {
				if c.ParseError == "" && c.SHA256 != "" {
					v.certs = append(v.certs, c)
				}
			}
		}
		if device {
			v.drivers = append(v.drivers, m)
		}
	}
	v.withDevice = len(v.drivers) > 0
	if !v.withDevice {
		v.drivers = loaded
	}
	v.fillFacts()
	// Every workstation result carries the workstation's facts: the
	// smart-card, USB, restart and clock block's too.
	maps.Copy(v.facts, workstationFacts(in.Station))
	return v
}

func (v *softView) set(k, val string) {
	if val != "" {
		v.facts[k] = textsafe.Line(val)
	}
}

func (v *softView) fillFacts() {
	if v.sw != nil {
		v.set(FactObsolete, programList(v.sw.Obsolete))
		v.set(FactOtherSigning, programList(v.sw.OtherSigning))
		if g := v.newestGoSign(); g != nil {
			v.set(FactGoSignVersion, versionOrUnknown(g.Version))
			v.set(FactGoSignScope, scopeWords(g.Scope))
		}
		if p := v.sw.Driver("xpki"); len(p) > 0 {
			v.set(FactXPKIVersion, versionOrUnknown(newest(p).Version))
		}
		if p := v.sw.Driver("safedive"); len(p) > 0 {
			v.set(FactSafeDiveVersion, versionOrUnknown(newest(p).Version))
		}
	}
	v.set(FactGoSignMin, v.in.MinGoSign)
	if m := v.xpkiModule(); m != nil {
		v.set(FactDriverModule, m.Path)
	} else if f := v.xpkiFile(); f != nil {
		v.set(FactDriverModule, f.Path)
	}
	if b := v.browserFacts(); b != nil {
		var names []string
		for _, x := range b.Installed {
			names = append(names, x.Name)
		}
		v.set(FactBrowsers, strings.Join(names, ", "))
	}
}

func (v *softView) browserFacts() *station.Browsers {
	if v.in.Station == nil {
		return nil
	}
	return v.in.Station.Browsers
}

func (v *softView) result(st Status, node, title, detail, remedy string) Result {
	return Result{Status: st, Title: title, Detail: detail, Remedy: remedy, Node: node, Facts: maps.Clone(v.facts)}
}

// notGathered is the skip of a check whose facts were not read.
func (v *softView) notGathered(what string) Result {
	return v.result(Skip, "", what+" non verificato: dati della postazione non raccolti", "", "")
}

func versionOrUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "non rilevata"
	}
	return s
}

func scopeWords(s station.Scope) string {
	switch s {
	case station.ScopeUser:
		return "solo per questo utente"
	case station.ScopeMachine32:
		return "per tutti gli utenti, programma a 32 bit"
	}
	return "per tutti gli utenti"
}

// programName is a program as a user reads it: its name and version.
func programName(p station.Program) string {
	s := strings.TrimSpace(p.Name)
	if s == "" {
		s = p.Label
	}
	if p.Version != "" && !strings.Contains(s, p.Version) {
		s += " " + p.Version
	}
	return textsafe.Line(s)
}

func programList(ps []station.Program) string {
	var names []string
	for _, p := range ps {
		if n := programName(p); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// newest is the install with the highest version (the first one when
// none has a version).
func newest(ps []station.Program) station.Program {
	best := ps[0]
	for _, p := range ps[1:] {
		if station.ParseVersion(p.Version) && (!station.ParseVersion(best.Version) || station.CompareVersions(p.Version, best.Version) > 0) {
			best = p
		}
	}
	return best
}

// authoritative reports whether the programs were read from a list of
// installed software (the registry, dpkg, /Applications), so that "not
// found" means "not installed".
func (v *softView) authoritative() bool {
	for _, s := range v.sw.Sources {
		if s != "cartelle note" {
			return true
		}
	}
	return false
}

// sourcesWords says where the programs were looked for.
func (v *softView) sourcesWords() string {
	if len(v.sw.Sources) == 0 {
		return "nessun elenco dei programmi leggibile"
	}
	return strings.Join(v.sw.Sources, ", ")
}

func (v *softView) readErrors() string {
	if len(v.sw.Errors) == 0 {
		return ""
	}
	return " Non letti: " + textsafe.Line(strings.Join(v.sw.Errors, "; ")) + "."
}

// --- workstation.obsolete (INST-1) ---

// safePackage is a Debian package name that can be shown in a command.
var safePackage = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]{0,99}$`)

func (v *softView) obsolete() Result {
	const what = "Programmi di firma obsoleti"
	if v.sw == nil {
		return v.notGathered(what)
	}
	other := ""
	if len(v.sw.OtherSigning) > 0 {
		other = " Sono installati anche programmi di firma di altri certificatori (" + programList(v.sw.OtherSigning) +
			"): ogni firma digitale va usata con il software di chi l'ha emessa, per InfoCert GoSign Desktop."
	}
	if len(v.sw.Obsolete) == 0 {
		if !v.authoritative() {
			where := "in «Impostazioni → App → App e funzionalità»"
			switch v.goos {
			case "linux":
				where = "nel gestore dei programmi della distribuzione"
			case "darwin":
				where = "nella cartella Applicazioni"
			}
			return v.result(Error, "", "Elenco dei programmi installati non leggibile: programmi obsoleti non verificati",
				"Cercati in: "+v.sourcesWords()+"."+v.readErrors()+other,
				"Controlla a mano "+where+" che non ci siano programmi di firma obsoleti (per esempio DikeUtil o Dike).")
		}
		return v.result(Pass, "", "Nessun programma di firma obsoleto installato",
			fmt.Sprintf("Controllati %s (%s).%s%s", Plural(v.sw.Scanned, "programma installato", "programmi installati"), v.sourcesWords(), v.readErrors(), other), "")
	}
	var items []string
	admin := false
	for _, p := range v.sw.Obsolete {
		items = append(items, fmt.Sprintf("%s (%s)", programName(p), scopeWords(p.Scope)))
		admin = admin || p.Scope != station.ScopeUser
	}
	title := "Da disinstallare: " + programList(v.sw.Obsolete)
	detail := "Programmi di firma obsoleti, che possono impedire il riconoscimento del dispositivo: " + strings.Join(items, "; ") + "." + other
	var remedy string
	switch v.goos {
	case "linux":
		var pkgs []string
		for _, p := range v.sw.Obsolete {
			if p.Source == "dpkg" && safePackage.MatchString(p.Name) {
				pkgs = append(pkgs, p.Name)
			}
		}
		remedy = "Disinstalla " + programList(v.sw.Obsolete) + " con il gestore dei programmi"
		if len(pkgs) > 0 {
			remedy += ", per esempio con il comando: sudo apt remove " + strings.Join(pkgs, " ")
		}
		remedy += "."
	case "darwin":
		remedy = "Trascina nel Cestino dalla cartella Applicazioni: " + programList(v.sw.Obsolete) + "."
	default:
		remedy = "Apri «Impostazioni → App → App e funzionalità», cerca " + quotedList(v.sw.Obsolete) + " e per ognuno scegli «Disinstalla»."
		if admin {
			remedy += " Per i programmi installati per tutti gli utenti servono i permessi di amministratore."
		}
	}
	return v.result(Fail, NodeInstallStep1, title, detail, remedy)
}

func quotedList(ps []station.Program) string {
	var names []string
	for _, p := range ps {
		n := "«" + textsafe.Line(strings.TrimSpace(p.Name)) + "»"
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// --- workstation.gosign (INST-2, INST-3, FIRMA-9, FIRMA-13) ---

const goSignDownload = "https://www.firma.infocert.it/installazione/"

func (v *softView) newestGoSign() *station.Program {
	if v.sw == nil || len(v.sw.GoSign) == 0 {
		return nil
	}
	p := newest(v.sw.GoSign)
	return &p
}

func (v *softView) gosign() Result {
	const what = "GoSign Desktop"
	if v.sw == nil {
		return v.notGathered(what)
	}
	g := v.newestGoSign()
	if g == nil {
		remedy := "Scarica GoSign Desktop da " + goSignDownload + " (applicazione per Windows, macOS o Linux) e installalo. " +
			"Al primo avvio registrati gratuitamente o accedi con un account InfoCert (passi 2 e 3 della procedura)."
		detail := "Cercato in: " + v.sourcesWords() + "." + v.readErrors() +
			" Senza GoSign Desktop non si firma con il dispositivo: InfoCert usa GoSign."
		if !v.authoritative() {
			return v.result(Warn, NodeInstallStep2, "GoSign Desktop non trovato nelle cartelle note",
				detail+" L'elenco dei programmi installati non è leggibile: se GoSign Desktop è installato altrove, ignora questo avviso.", remedy)
		}
		return v.result(Fail, NodeInstallStep2, "GoSign Desktop non è installato", detail, remedy)
	}
	var installs []string
	versions := map[string]bool{}
	for _, p := range v.sw.GoSign {
		installs = append(installs, fmt.Sprintf("%s, %s (%s)", programName(p), scopeWords(p.Scope), textsafe.Line(p.Source)))
		if station.ParseVersion(p.Version) {
			versions[p.Version] = true
		}
	}
	detail := "Installazioni trovate: " + strings.Join(installs, "; ") + "."
	name := "GoSign Desktop"
	if station.ParseVersion(g.Version) {
		name += " " + textsafe.Line(g.Version)
	}
	if min := strings.TrimSpace(v.in.MinGoSign); min != "" && station.ParseVersion(min) {
		if !station.ParseVersion(g.Version) {
			return v.result(Pass, "", "GoSign Desktop installato (versione non rilevata)",
				detail+" L'ufficio richiede almeno la versione "+textsafe.Line(min)+": controllala in GoSign Desktop.", "")
		}
		if station.CompareVersions(g.Version, min) < 0 {
			return v.result(Warn, NodeInstallStep2,
				fmt.Sprintf("%s è più vecchio della versione richiesta dall'ufficio (%s)", name, textsafe.Line(min)), detail,
				"Aggiorna GoSign Desktop: scarica l'ultima versione da "+goSignDownload+" e installala. "+
					"Un GoSign Desktop non aggiornato è una delle cause per cui non si riesce a firmare.")
		}
	}
	if len(versions) > 1 {
		return v.result(Warn, NodeInstallStep2, "Ci sono più copie di GoSign Desktop, di versioni diverse", detail,
			"Disinstalla le copie più vecchie da «Impostazioni → App» e tieni solo la più recente, così si apre sempre quella.")
	}
	title := name + " installato (" + scopeWords(g.Scope) + ")"
	if !station.ParseVersion(g.Version) {
		title = "GoSign Desktop installato (" + scopeWords(g.Scope) + ", versione non rilevata)"
	}
	return v.result(Pass, "", title, detail, "")
}

// --- workstation.drivers (INST-4) ---

// isXPKIPath reports whether a module path is Bit4id xPKI's library.
func isXPKIPath(p string) bool {
	b := strings.ToLower(baseName(p))
	return strings.HasPrefix(b, "bit4xpki.") || strings.HasPrefix(b, "libbit4xpki.")
}

// baseName is the last element of a path with / or \ separators, whatever
// the system running the check.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// xpkiModule is the xPKI module as the token discovery tried it: the one
// that loaded, else a faulty one, else nil.
func (v *softView) xpkiModule() *token.Module {
	var fault *token.Module
	for i := range v.in.Modules {
		m := &v.in.Modules[i]
		if !isXPKIPath(m.Path) {
			continue
		}
		switch m.Status {
		case token.ModuleOK:
			return m
		case token.ModuleFault:
			if fault == nil {
				fault = m
			}
		}
	}
	return fault
}

// xpkiFile is the first xPKI library found on disk.
func (v *softView) xpkiFile() *station.DriverFile {
	if v.sw == nil {
		return nil
	}
	for i := range v.sw.DriverFiles {
		if f := &v.sw.DriverFiles[i]; f.Product == "xpki" && f.Found {
			return f
		}
	}
	return nil
}

// otherDevice is the module that reads the device when it is not xPKI's.
func (v *softView) otherDevice() string {
	if !v.withDevice {
		return ""
	}
	for _, m := range v.drivers {
		if isXPKIPath(m.Path) {
			return ""
		}
	}
	return baseName(v.drivers[0].Path)
}

func (v *softView) driversCheck() Result {
	const what = "Driver Bit4id xPKI e SafeDive"
	if v.sw == nil {
		return v.notGathered(what)
	}
	xpki, safedive := v.sw.Driver("xpki"), v.sw.Driver("safedive")
	mod, file := v.xpkiModule(), v.xpkiFile()
	var problems, warnings, found, names []string
	node := NodeInstallStep4
	remedy := "Scarica Bit4id xPKI " + ProcedureXPKI + " da https://www.firma.infocert.it/software/bit4id_xpki_1.4.10.598.zip, " +
		"decomprimilo sul desktop e avvia il programma di installazione con «Esegui come amministratore»; " +
		"scarica SafeDive " + ProcedureSafeDive + " da https://www.infocert.it/firma-infocert-it/driver-installazione e installalo. Poi riavvia il computer."

	// Bit4id xPKI: the program, and the PKCS#11 library it installs.
	switch {
	case len(xpki) > 0:
		f, n, w := installedDriver("Bit4id xPKI", ProcedureXPKI, xpki)
		found, names, warnings = append(found, f), append(names, n), append(warnings, w...)
	case file != nil || mod != nil:
		found = append(found, "Bit4id xPKI (solo il driver: il programma non risulta nell'elenco dei programmi installati)")
		names = append(names, "Bit4id xPKI")
	default:
		problems = append(problems, "Bit4id xPKI non è installato")
	}
	if len(xpki) > 0 || file != nil || mod != nil {
		switch {
		case mod != nil && mod.Status == token.ModuleOK:
			found = append(found, "driver "+textsafe.Line(baseName(mod.Path))+" caricato")
		case mod != nil:
			problems = append(problems, "il driver "+textsafe.Line(baseName(mod.Path))+" di Bit4id xPKI non si carica: "+strings.TrimSuffix(sentence(mod.Reason), "."))
			node = NodeDriverError
		default:
			problems = append(problems, v.xpkiFileProblem())
		}
	}
	// SafeDive: the procedure's step 6 opens it from the desktop (Windows).
	switch {
	case len(safedive) > 0:
		f, n, w := installedDriver("SafeDive", ProcedureSafeDive, safedive)
		found, names, warnings = append(found, f), append(names, n), append(warnings, w...)
	case v.goos == "windows":
		problems = append(problems, "SafeDive non è installato")
	}
	detail := ""
	if len(found) > 0 {
		detail = "Trovati: " + strings.Join(found, "; ") + "."
	}
	detail += " Cercati in: " + v.sourcesWords() + "." + v.readErrors()
	if o := v.otherDevice(); o != "" {
		detail += " Il dispositivo è letto dal driver " + textsafe.Line(o) + "."
	}
	detail = strings.TrimSpace(detail)
	switch {
	case len(problems) > 0:
		title := capitalize(strings.Join(problems, "; "))
		// A device read through another driver works: the missing drivers
		// are what the procedure asks for, not what stops the device.
		if v.otherDevice() != "" && node != NodeDriverError {
			return v.result(Warn, node, title, detail+" La procedura dell'ufficio prevede comunque Bit4id xPKI e SafeDive.", remedy)
		}
		if node == NodeDriverError {
			remedy = "Scollega il dispositivo, disinstalla Bit4id xPKI e SafeDive da «Impostazioni → App», reinstallali seguendo il passo 4 della procedura e riavvia il computer."
		}
		return v.result(Fail, node, title, detail, remedy)
	case len(warnings) > 0:
		return v.result(Warn, node, capitalize(strings.Join(warnings, "; ")), detail,
			"Aggiorna i driver: "+strings.ToLower(remedy[:1])+remedy[1:])
	}
	return v.result(Pass, "", "Driver installati: "+strings.Join(names, " e "), detail, "")
}

// installedDriver describes the newest install of a driver: for the
// detail, for the title, and a warning when it is older than the
// procedure's version.
func installedDriver(label, procedure string, ps []station.Program) (found, name string, warnings []string) {
	p := newest(ps)
	found = fmt.Sprintf("%s %s (%s)", label, versionOrUnknown(p.Version), scopeWords(p.Scope))
	name = strings.TrimSpace(label + " " + textsafe.Line(p.Version))
	if station.ParseVersion(p.Version) && station.CompareVersions(p.Version, procedure) < 0 {
		warnings = append(warnings, fmt.Sprintf("%s %s è più vecchio della versione della procedura (%s)", label, textsafe.Line(p.Version), procedure))
	}
	return found, name, warnings
}

// xpkiFileProblem says why xPKI's library is not among the loaded modules.
func (v *softView) xpkiFileProblem() string {
	var paths []string
	for _, f := range v.sw.DriverFiles {
		if f.Product != "xpki" {
			continue
		}
		paths = append(paths, textsafe.Line(f.Path))
		switch {
		case f.Found && f.Error != "":
			return "il driver " + textsafe.Line(f.Path) + " di Bit4id xPKI non è leggibile: " + textsafe.Line(f.Error)
		case f.Found && f.Mismatch:
			return fmt.Sprintf("il driver %s di Bit4id xPKI è per un'altra architettura (%s): è installata la versione sbagliata (per esempio quella a 32 bit)", textsafe.Line(f.Path), textsafe.Line(f.Arch))
		}
	}
	return "il driver di Bit4id xPKI non è dove il programma lo installa (" + strings.Join(paths, ", ") + ")"
}

// --- workstation.certstore (INST-7) ---

// matchesDriver reports whether an NSS module is one of the device's
// drivers: the same library file name, or p11-kit's proxy when the driver
// was found through the p11-kit registry (the proxy loads those modules).
func (v *softView) matchesDriver(m station.NSSModule) bool {
	lib := baseName(m.Library)
	if lib == "" {
		return false
	}
	for _, d := range v.drivers {
		if strings.EqualFold(lib, baseName(d.Path)) {
			return true
		}
		if d.Source == token.SourceP11Kit && strings.HasPrefix(strings.ToLower(lib), "p11-kit-proxy") {
			return true
		}
	}
	return false
}

func (v *softView) driverNames() string {
	var names []string
	for _, d := range v.drivers {
		if n := textsafe.Line(baseName(d.Path)); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

func (v *softView) certstore() Result {
	const what = "Certificati importati"
	if v.in.Station == nil || v.in.Station.CertStores == nil {
		return v.notGathered(what)
	}
	cs := v.in.Station.CertStores
	if cs.Windows != nil {
		return v.windowsStore(cs.Windows)
	}
	if v.goos == "linux" || len(cs.NSS) > 0 {
		return v.nssStores(cs.NSS)
	}
	note := "archivio non controllato"
	if cs.Note != "" {
		note = cs.Note
	}
	return v.result(Skip, "", what+" non verificabili su questo sistema", capitalize(textsafe.Line(note))+".", "")
}

func certWhat(c token.Certificate) string {
	u := map[token.Usage]string{token.UsageSignature: "di firma", token.UsageAuthentication: "CNS"}[c.Usage]
	s := "certificato"
	if u != "" {
		s += " " + u
	}
	return s + " «" + textsafe.Line(c.Label) + "»"
}

func (v *softView) windowsStore(ws *station.WindowsStore) Result {
	if ws.Error != "" {
		return v.result(Error, "", "Impossibile leggere l'archivio personale dei certificati di Windows", capitalize(textsafe.Line(ws.Error))+".",
			"Controlla a mano con «certmgr.msc» (Certificati - Utente corrente → Personale → Certificati) che ci siano i certificati del dispositivo.")
	}
	if len(v.certs) == 0 {
		return v.result(Skip, "", "Certificati importati non verificabili: nessun dispositivo letto",
			fmt.Sprintf("L'archivio personale di Windows contiene %s; senza il dispositivo non so quali cercare.", Plural(len(ws.Certificates), "certificato", "certificati")), "")
	}
	byHash := map[string]station.StoreCert{}
	for _, c := range ws.Certificates {
		byHash[strings.ToLower(c.SHA256)] = c
	}
	var missing, noKey, ok []string
	for _, c := range v.certs {
		sc, in := byHash[strings.ToLower(c.SHA256)]
		switch {
		case !in:
			missing = append(missing, certWhat(c))
		case !sc.HasKey:
			noKey = append(noKey, certWhat(c))
		default:
			ok = append(ok, certWhat(c))
		}
	}
	v.set(FactCertsMissing, strings.Join(append(append([]string{}, missing...), noKey...), ", "))
	remedy := "Con il dispositivo inserito apri SafeDive dall'icona sul desktop, scegli «Utilità» nel menu in basso e premi «Importa» nella riga «Certificati» (passi 6 e 7 della procedura)."
	detail := fmt.Sprintf("Confrontati per impronta SHA-256 %s del dispositivo con i %d dell'archivio personale di Windows (utente corrente).",
		Plural(len(v.certs), "certificato", "certificati"), len(ws.Certificates))
	if len(ok) > 0 {
		detail += " Importati: " + strings.Join(ok, ", ") + "."
	}
	switch {
	case len(missing) == len(v.certs):
		return v.result(Fail, NodeInstallStep6, "I certificati del dispositivo non sono importati in Windows", detail+
			" Senza importazione Edge e Chrome non li propongono per l'accesso con la CNS.", remedy)
	case len(missing) > 0:
		return v.result(Warn, NodeInstallStep6, "Non tutti i certificati del dispositivo sono importati: mancano "+strings.Join(missing, ", "), detail, remedy)
	case len(noKey) > 0:
		return v.result(Warn, NodeInstallStep6, "Certificati importati senza il collegamento al dispositivo: "+strings.Join(noKey, ", "),
			detail+" Un certificato importato senza il riferimento alla chiave del dispositivo non serve per accedere ai siti.", "Ripeti l'importazione: "+strings.ToLower(remedy[:1])+remedy[1:])
	}
	return v.result(Pass, "", "I certificati del dispositivo sono importati in Windows ("+Plural(len(ok), "certificato", "certificati")+")", detail, "")
}

// nssState is one NSS database judged: its owner and whether it loads a
// driver of the device.
type nssState struct {
	owner  string
	db     station.NSSDB
	loaded bool
}

func (v *softView) nssDatabases(shared []station.NSSDB) []nssState {
	var out []nssState
	for _, db := range shared {
		out = append(out, nssState{owner: "Chrome e Chromium (" + textsafe.Line(db.Path) + ")", db: db})
	}
	if b := v.browserFacts(); b != nil {
		for _, p := range b.Firefox {
			out = append(out, nssState{owner: "Firefox, profilo «" + textsafe.Line(p.Name) + "»", db: p.NSS})
		}
	}
	for i := range out {
		out[i].loaded = slices.ContainsFunc(out[i].db.Modules, v.matchesDriver)
	}
	return out
}

func (v *softView) nssStores(shared []station.NSSDB) Result {
	var usable, missing, unreadable, have []string
	for _, s := range v.nssDatabases(shared) {
		switch {
		case s.db.Error != "":
			unreadable = append(unreadable, s.owner+": "+textsafe.Line(s.db.Error))
		case s.db.Format == "dbm":
			unreadable = append(unreadable, s.owner+": archivio nel vecchio formato secmod.db, non leggibile")
		case s.db.Format != "sql":
			continue // no database: that browser was never run
		case s.loaded:
			have = append(have, s.owner)
			usable = append(usable, s.owner)
		default:
			missing = append(missing, s.owner)
			usable = append(usable, s.owner)
		}
	}
	v.set(FactCertsMissing, strings.Join(missing, "; "))
	res := func(st Status, node, title, detail, remedy string) Result {
		return v.result(st, node, title, strings.TrimSpace(detail), remedy)
	}
	if len(v.drivers) == 0 {
		return res(Skip, "", "Certificati nei browser non verificabili: nessun driver del dispositivo funzionante",
			fmt.Sprintf("Archivi NSS trovati: %d.", len(usable)), "")
	}
	notes := ""
	if len(unreadable) > 0 {
		notes = " Non letti: " + strings.Join(unreadable, "; ") + "."
	}
	if !v.withDevice {
		notes += " Nessun dispositivo letto: confrontati con i driver installati (" + v.driverNames() + ")."
	}
	if len(usable) == 0 {
		return res(Skip, "", "Nessun archivio dei certificati dei browser (NSS) da controllare",
			"Né ~/.pki/nssdb (Chrome, Chromium) né profili di Firefox: i browser non sono ancora stati avviati."+notes, "")
	}
	detail := "Un browser vede il dispositivo solo se il suo archivio NSS ha registrato il driver (" + v.driverNames() + ")."
	if len(have) > 0 {
		detail += " Registrato in: " + strings.Join(have, "; ") + "."
	}
	detail += notes
	path := textsafe.Line(v.drivers[0].Path) // not empty: checked above
	remedy := "In Firefox apri «Impostazioni → Privacy e sicurezza → Dispositivi di sicurezza», premi «Carica» e indica " + path +
		". Per Chrome e Chromium registra il driver con: modutil -dbdir sql:$HOME/.pki/nssdb -add \"Dispositivo di firma\" -libfile " + path + " (pacchetto libnss3-tools)."
	switch {
	case len(missing) == len(usable):
		return res(Fail, NodeInstallFirefox, "Nessun browser ha registrato il driver del dispositivo", detail+" Mancante in: "+strings.Join(missing, "; ")+".", remedy)
	case len(missing) > 0:
		return res(Warn, NodeInstallFirefox, "Il driver del dispositivo manca in "+strings.Join(missing, "; "), detail, remedy)
	}
	return res(Pass, "", "Il driver del dispositivo è registrato in tutti i browser ("+Plural(len(have), "archivio", "archivi")+")", detail, "")
}

// --- workstation.browsers (INST-8) ---

func (v *softView) browsers() Result {
	const what = "Browser"
	b := v.browserFacts()
	if b == nil {
		return v.notGathered(what)
	}
	names := v.facts[FactBrowsers]
	errs := ""
	if len(b.Errors) > 0 {
		errs = " Non letti: " + textsafe.Line(strings.Join(b.Errors, "; ")) + "."
	}
	if len(b.Installed) == 0 && len(b.Firefox) == 0 {
		return v.result(Skip, "", "Nessun browser trovato", "Cercati i browser più diffusi (Firefox, Chrome, Edge, Chromium, Brave, Opera) nei percorsi noti."+errs, "")
	}
	detail := ""
	if names != "" {
		detail = "Installati: " + names + "."
	}
	if len(b.Firefox) == 0 {
		return v.result(Pass, "", "Browser installati: "+orNone(names), strings.TrimSpace(detail+errs+
			" Prova l'accesso con la CNS in ognuno (passo 8 della procedura)."), "")
	}
	if len(v.drivers) == 0 {
		return v.result(Skip, "", "Profili di Firefox non verificabili: nessun driver del dispositivo funzionante",
			strings.TrimSpace(detail+fmt.Sprintf(" Profili di Firefox: %d.", len(b.Firefox))+errs), "")
	}
	// On Windows, Firefox also uses the certificates imported in the
	// user's store (security.osclientcerts.autoload, on by default in
	// current versions); the Keychain of macOS is not read, so there only
	// the profile's own module counts.
	osStore := v.goos == "windows"
	imported := v.certsInSystemStore()
	var good, bad, unknown, missingNames []string
	for _, p := range b.Firefox {
		name := "«" + textsafe.Line(p.Name) + "»"
		loaded := slices.ContainsFunc(p.NSS.Modules, v.matchesDriver)
		switch {
		case p.Error != "":
			unknown = append(unknown, name+" ("+textsafe.Line(p.Error)+")")
		case p.NSS.Format == "dbm":
			unknown = append(unknown, name+" (archivio nel vecchio formato secmod.db)")
		case loaded:
			good = append(good, name+" (driver caricato)")
		case osStore && p.OSClientCerts != "off" && imported:
			good = append(good, name+" (usa i certificati importati nel sistema)")
		default:
			why := "driver non caricato"
			if osStore && p.OSClientCerts == "off" {
				why += ", certificati del sistema disattivati (security.osclientcerts.autoload)"
			}
			bad = append(bad, name+" ("+why+")")
			missingNames = append(missingNames, textsafe.Line(p.Name))
		}
	}
	v.set(FactFirefoxMissing, strings.Join(missingNames, ", "))
	detail += " Profili di Firefox: "
	parts := append(append(append([]string{}, good...), bad...), unknown...)
	detail += strings.Join(parts, "; ") + "." + errs
	if !v.withDevice {
		detail += " Nessun dispositivo letto: confrontati con i driver installati (" + v.driverNames() + ")."
	}
	detail = strings.TrimSpace(detail)
	if len(bad) > 0 {
		path := textsafe.Line(v.drivers[0].Path)
		return v.result(Warn, NodeInstallFirefox,
			fmt.Sprintf("Firefox non vede il dispositivo in %s: %s", Plural(len(bad), "profilo", "profili"), strings.Join(missingNames, ", ")), detail,
			"In Firefox apri «Impostazioni → Privacy e sicurezza → Dispositivi di sicurezza», premi «Carica» e indica "+path+
				"; ripeti in ogni profilo indicato, poi chiudi e riapri Firefox.")
	}
	title := "Browser installati: " + orNone(names)
	if len(good) > 0 {
		title += "; Firefox vede il dispositivo in " + Plural(len(good), "profilo", "profili")
	}
	return v.result(Pass, "", title, detail, "")
}

// certsInSystemStore reports whether the device's certificates are in the
// user's Windows store (so that Firefox's os client certs find them).
func (v *softView) certsInSystemStore() bool {
	if v.in.Station == nil || v.in.Station.CertStores == nil || v.in.Station.CertStores.Windows == nil {
		return false
	}
	have := map[string]bool{}
	for _, c := range v.in.Station.CertStores.Windows.Certificates {
		if c.HasKey {
			have[strings.ToLower(c.SHA256)] = true
		}
	}
	for _, c := range v.certs {
		if c.Usage == token.UsageAuthentication && have[strings.ToLower(c.SHA256)] {
			return true
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "nessuno dei più diffusi"
	}
	return s
}
