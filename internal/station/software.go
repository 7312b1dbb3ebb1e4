package station

import (
	"context"
	"os"
	"strings"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// Software is the installed programs that concern signing, and only
// those: obsolete signing tools the procedure says to remove (INST-1),
// other issuers' signing tools (FIRMA-9), GoSign Desktop (INST-2, INST-3)
// and the Bit4id xPKI and SafeDive drivers (INST-4), with the PKCS#11
// libraries the drivers put on disk. The rest of the software inventory is
// looked at and forgotten: only Scanned counts it.
type Software struct {
	// Sources are where installed programs were read, e.g. "HKLM (64 bit)",
	// "HKCU", "dpkg", "/Applications".
	Sources      []string  `json:"sources"`
	Scanned      int       `json:"scanned"`  // entries looked at in all sources
	Obsolete     []Program `json:"obsolete"` // always a list
	OtherSigning []Program `json:"other_signing,omitempty"`
	GoSign       []Program `json:"gosign"`  // always a list: one per install found
	Drivers      []Program `json:"drivers"` // always a list: Bit4id xPKI, SafeDive
	// DriverFiles are the PKCS#11 libraries of the drivers as found on disk
	// (found or not), with their architecture.
	DriverFiles []DriverFile `json:"driver_files,omitempty"`
	// Errors are sources that could not be read, in Italian.
	Errors []string `json:"errors,omitempty"`
}

// Program is one installed program of the catalogue.
type Program struct {
	Product   string `json:"product"` // catalogue id: "dike6", "gosign", "xpki", "safedive"...
	Label     string `json:"label"`   // the catalogue's name for it, e.g. "DiKe 6"
	Name      string `json:"name"`    // as the system lists it (DisplayName, package)
	Version   string `json:"version,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Scope     Scope  `json:"scope"`
	Source    string `json:"source"`             // where it was read, as in Software.Sources
	Location  string `json:"location,omitempty"` // install folder, or the registry key
}

// Scope says for whom a program is installed.
type Scope string

// Scopes.
const (
	ScopeUser      Scope = "user"       // this user only (HKCU, %LOCALAPPDATA%, ~/Applications)
	ScopeMachine   Scope = "machine"    // every user (HKLM 64-bit view, %ProgramFiles%, dpkg)
	ScopeMachine32 Scope = "machine-32" // every user, 32-bit program on 64-bit Windows
)

// DriverFile is a driver's PKCS#11 library on disk.
type DriverFile struct {
	Product string `json:"product"` // "xpki"
	Path    string `json:"path"`
	Found   bool   `json:"found"`
	Arch    string `json:"arch,omitempty"`    // "x86-64", "x86", "arm64"… from the PE or ELF header
	Version string `json:"version,omitempty"` // the file's version resource (Windows)
	// Mismatch: the library is built for another architecture than
	// sportello's, so it cannot be loaded by it (nor by programs like it).
	Mismatch bool   `json:"arch_mismatch,omitempty"`
	Error    string `json:"error,omitempty"` // present but unreadable, in Italian
}

// Kinds of catalogue entries.
const (
	KindObsolete = "obsolete"      // to uninstall (INST-1)
	KindOther    = "other_signing" // another issuer's signing tool (FIRMA-9)
	KindGoSign   = "gosign"
	KindXPKI     = "xpki"
	KindSafeDive = "safedive"
)

// catalogueEntry names one program by the normalised form of its name
// (lower case, letters and digits only: "Di.Ke." and "DiKe 6 PRO" become
// "dike" and "dike6pro"): the name starts with one of Prefixes. The first
// entry that matches wins, so specific entries come before general ones.
type catalogueEntry struct {
	Product  string
	Kind     string
	Label    string
	Prefixes []string
}

// catalogue is the data the software checks judge by. Each entry names
// its source; the URLs are the pages read when the list was made.
var catalogue = []catalogueEntry{
	// GoSign Desktop, InfoCert's signing program (INST-2, FIRMA-9). Before
	// ~2021 it was called "Dike GoSign" (e.g. intradet.polito.it, "Firma
	// Remota tramite il software Dike GoSign", Feb. 2021), so it comes
	// before the Dike entries: an old GoSign is GoSign, not obsolete.
	// Linux package "gosigndesktop" (the .deb installs /usr/lib/gosigndesktop:
	// AUR PKGBUILD "gosign", which repackages InfoCert's
	// GoSign-Desktop-installer-linux.deb).
	{"gosign", KindGoSign, "GoSign Desktop", []string{"gosign", "dikegosign"}},

	// Obsolete InfoCert signing tools: the procedure names "DikeUtil, Dike,
	// ecc." (INST-1); the rest of the family:
	// DikeUtil / "Dike Util": InfoCert's smart-card utility (fi.camcom.it,
	// "Rinnovo in proprio ... software Dike Util").
	{"dikeutil", KindObsolete, "DikeUtil", []string{"dikeutil"}},
	// DiKe 6, DiKe 6 PRO, Dike 6 BK (help.infocert.it, "Guida al rinnovo
	// dei certificati con Dike 6, DiKe 6 PRO e Dike 6 BK").
	{"dike6", KindObsolete, "DiKe 6", []string{"dike6"}},
	// DikeIC 2.0 (InfoCert, "DikeIC 2.0 Manuale utente", 2017, Windows,
	// Ubuntu, Mac), DikeX IC Lite (InfoCert "Manuale Utente DikeIC ...
	// DikeX IC Lite") and DiKe Lite_IC on the Business Key Lite
	// (docplayer.it, "Firma e Verifica ... software di Firma Digitale DiKe
	// Lite_IC").
	{"dikeic", KindObsolete, "DikeIC", []string{"dikeic", "dikexic", "dikelite"}},
	// DiKe Pro (docplayer.it, "DiKe Pro Guida rapida all'uso").
	{"dikepro", KindObsolete, "DiKe Pro", []string{"dikepro"}},
	// Dike itself, and InfoCamere's older "Di.Ke." (tuttocamere.it, "La
	// procedura di sblocco di una smart card ... il software di firma
	// Dì.Ke."); on Linux InfoCert's .deb package "dike" (AUR PKGBUILD
	// "dike", 7.1.0, from rinnovofirma.infocert.it/download/x86_64/latest).
	{"dike", KindObsolete, "Dike", []string{"dike"}},

	// Other issuers' signing programs: not obsolete, but FIRMA-9 says a
	// device is used with its issuer's software (InfoCert: GoSign); they
	// are named, never judged.
	// ArubaSign (guide.pec.it, "Apri Aruba Sign e vai su Impostazioni").
	{"arubasign", KindOther, "ArubaSign", []string{"arubasign"}},
	// Actalis File Protector (doczz.it, "Actalis File Protector 5.0 Guida
	// rapida all'uso").
	{"fileprotector", KindOther, "File Protector", []string{"fileprotector", "actalisfileprotector"}},
	// InfoCamere Firma4NG (InfoCamere, "Rinnovo dei certificati di firma
	// digitale - CNS", 5.1 "Procedura di verifica con software Firma4ng").
	{"firma4ng", KindOther, "Firma4NG", []string{"firma4ng", "infocamerefirma4ng"}},
	// FirmaCheck (zucchettistore.it, "FirmaCheck - Manuale utente").
	{"firmacheck", KindOther, "FirmaCheck", []string{"firmacheck"}},
	// CompEd DigitalSign (docplayer.it, "DigitalSign 5.0 Guida Utente").
	{"digitalsign", KindOther, "DigitalSign", []string{"digitalsign", "compeddigitalsign"}},

	// The drivers of INST-4: Bit4id xPKI 1.4.10.598 and SafeDive 6.0.7.
	{"xpki", KindXPKI, "Bit4id xPKI", []string{"xpki", "bit4idxpki", "bit4xpki", "libbit4xpki"}},
	{"safedive", KindSafeDive, "SafeDive", []string{"safedive", "bit4idsafedive"}},
}

// normalise is a program name as the catalogue compares it: accents
// dropped ("Dì.Ke." is "dike"), lower case, ASCII letters and digits only.
func normalise(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lookup returns the catalogue entry for a program name, if any.
func lookup(name string) (catalogueEntry, bool) {
	n := normalise(clip(name))
	if n == "" {
		return catalogueEntry{}, false
	}
	for _, e := range catalogue {
		for _, p := range e.Prefixes {
			if strings.HasPrefix(n, p) {
				return e, true
			}
		}
	}
	return catalogueEntry{}, false
}

// scopedDir is a folder programs are installed in, and for whom.
type scopedDir struct {
	dir   string
	scope Scope
}

// addGoSignFolders adds GoSign Desktop as found by its folder (one of
// dirs, read under Options.Root) when no list of installed programs
// named it; version reads its version from the folder on disk.
func (s *Software) addGoSignFolders(o Options, dirs []scopedDir, version func(fsDir string) string) {
	if len(s.GoSign) > 0 {
		return
	}
	for _, d := range dirs {
		if st, err := os.Stat(o.path(d.dir)); err == nil && st.IsDir() {
			s.GoSign = append(s.GoSign, Program{Product: "gosign", Label: "GoSign Desktop", Name: "GoSign Desktop",
				Version: version(o.path(d.dir)), Scope: d.scope, Source: "cartella", Location: d.dir})
		}
	}
}

// installed is one entry of a system's list of installed programs, as a
// per-OS reader found it.
type installed struct {
	Name, Version, Publisher, Location string
	Scope                              Scope
	Source                             string
}

// maxText is the longest string kept from the machine (a program name, a
// version, a path); longer ones are cut, so a garbage registry value or
// package field cannot grow the report.
const maxText = 300

// clip cuts s to maxText runes, marking the cut.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	r := []rune(s)
	if len(r) <= maxText {
		return s
	}
	return string(r[:maxText]) + "…"
}

// classify keeps the entries of the catalogue and counts the rest.
func (s *Software) classify(entries []installed) {
	s.Scanned += len(entries)
	for _, e := range entries {
		c, ok := lookup(e.Name)
		if !ok {
			continue
		}
		p := Program{Product: c.Product, Label: c.Label, Name: clip(strings.TrimSpace(e.Name)),
			Version: clip(strings.TrimSpace(e.Version)), Publisher: clip(strings.TrimSpace(e.Publisher)),
			Scope: e.Scope, Source: e.Source, Location: clip(e.Location)}
		switch c.Kind {
		case KindObsolete:
			s.Obsolete = appendNew(s.Obsolete, p)
		case KindOther:
			s.OtherSigning = appendNew(s.OtherSigning, p)
		case KindGoSign:
			s.GoSign = appendNew(s.GoSign, p)
		default:
			s.Drivers = appendNew(s.Drivers, p)
		}
	}
}

// appendNew adds p unless the same program (name, version, scope) is
// there already: on 32-bit Windows both registry views are one.
func appendNew(list []Program, p Program) []Program {
	for _, q := range list {
		if q.Product == p.Product && q.Name == p.Name && q.Version == p.Version && q.Scope == p.Scope {
			return list
		}
	}
	return append(list, p)
}

// Driver returns the installs of a driver product ("xpki", "safedive").
func (s *Software) Driver(product string) []Program {
	var out []Program
	for _, p := range s.Drivers {
		if p.Product == product {
			out = append(out, p)
		}
	}
	return out
}

// decodeUTF16 turns a registry string value (UTF-16LE, maybe without its
// final NUL, maybe of odd length) into Go text, up to the first NUL.
func decodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := uint16(b[i]) | uint16(b[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

func init() { gatherers = append(gatherers, gatherSoftware) }

// gatherSoftware reads the installed programs with the per-OS reader.
func gatherSoftware(ctx context.Context, o Options) func(*Facts) {
	s := &Software{Sources: []string{}, Obsolete: []Program{}, GoSign: []Program{}, Drivers: []Program{}}
	readSoftware(ctx, o, s)
	return func(f *Facts) { f.Software = s }
}

// CompareVersions compares two dotted versions numerically ("1.4.10.598"
// is above "1.4.9.1200"; missing parts count as 0; whatever follows the
// leading digits and dots, such as "-beta" or " build 7", is ignored). It
// returns -1, 0 or +1; a version without a leading number sorts first.
func CompareVersions(a, b string) int {
	x, y := versionParts(a), versionParts(b)
	for i := 0; i < len(x) || i < len(y); i++ {
		var p, q uint64
		if i < len(x) {
			p = x[i]
		}
		if i < len(y) {
			q = y[i]
		}
		switch {
		case p < q:
			return -1
		case p > q:
			return 1
		}
	}
	return 0
}

// ParseVersion reports whether v starts with a number, so that it can be
// compared.
func ParseVersion(v string) bool { return len(versionParts(v)) > 0 }

// versionParts are the numbers of a version's leading "N.N.N" (at most 8,
// each at most 9 digits), after an optional "v".
func versionParts(v string) []uint64 {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	var parts []uint64
	for len(parts) < 8 {
		n, digits := uint64(0), 0
		for digits < len(v) && v[digits] >= '0' && v[digits] <= '9' {
			if digits < 9 {
				n = n*10 + uint64(v[digits]-'0')
			}
			digits++
		}
		if digits == 0 {
			break
		}
		parts = append(parts, n)
		v = v[digits:]
		if len(v) < 2 || v[0] != '.' || v[1] < '0' || v[1] > '9' {
			break
		}
		v = v[1:]
	}
	return parts
}
