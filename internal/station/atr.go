package station

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Naming a card from its ATR. The ATR (answer to reset, ISO/IEC 7816-3)
// is what the reader reports without talking to the card; its historical
// bytes carry, on Italian CNS cards, the chip and operating-system makers
// (CNS functional specification 1.1.5, as OpenSC decodes them in
// src/libopensc/card-itacns.c and pkcs15-itacns.c). Two sources, in order:
// the built-in rules below for the cards the help desk meets (CNS and
// signature cards by InfoCert/Incard, Athena, Oberthur/IDEMIA, Siemens,
// the CIE 3.0, Bit4id tokens), each with the middleware it needs; then
// pcsc-tools' smartcard_list.txt, when installed, for a name only.

// ParseATRHex reads an ATR written as hex bytes, with or without spaces
// or colons ("3B FF 18 00", "3b:ff:18:00", "3BFF1800").
func ParseATRHex(s string) ([]byte, error) {
	s = strings.NewReplacer(" ", "", ":", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil || len(b) < 2 || len(b) > 33 {
		return nil, errors.New("ATR non valido")
	}
	return b, nil
}

// historical returns the historical bytes of an ATR (ISO/IEC 7816-3 §8.2):
// T0's low nibble counts them, after the interface bytes that T0 and each
// TDi announce. A truncated ATR yields what is there.
func historical(atr []byte) []byte {
	if len(atr) < 2 {
		return nil
	}
	k := int(atr[1] & 0x0f)
	y := atr[1] >> 4
	i := 2
	for {
		for bit := byte(1); bit <= 4; bit <<= 1 { // TAi, TBi, TCi
			if y&bit != 0 {
				i++
			}
		}
		if y&8 == 0 || i >= len(atr) {
			break
		}
		y = atr[i] >> 4 // TDi
		i++
	}
	if i >= len(atr) {
		return nil
	}
	end := min(i+k, len(atr))
	return atr[i:end]
}

// Operating-system ("mask") makers coded in the 4th historical byte of a
// CNS card (hist[3]), as listed by OpenSC (pkcs15-itacns.c,
// itacns_mask_manufacturers), with the middleware each one's Italian
// cards need and the PKCS#11 file names (see moduleKey) that read them.
// Sources for the middleware: the driver list of Formez's signing service
// ("[Athena] CNS prodotte da Athena: asepkcs.dll, libASEP11.so",
// "[InfoCamere] CNS Oberthur: bit4opki", "[Infocamere/PosteCom]
// 7420*/1204*: incryptoki2, libinp11", "[InfoCamere] 7420*/6090*/120*:
// bit4ipki", "[Siemens] CRS/CNS Siemens: cnsPKCS11", "[InfoCamere] new
// Siemens Card: siecap11"); dihedron/dihedron-crypto's smartcards.xml
// (Athena CNS ATRs 3B DF 18 00 81 31 FE 7D 00 6B ... 0C ... → asepkcs.dll,
// libASEP11.so; Aruba ST Incard CNS 3B FF 18 00 FF 81 31 FE 55 00 6B 02 09
// 03 → bit4ipki.dll); the AUR packages bit4id-ipki and bit4id-xpki ("Bit4ID
// Universal Middleware", xPKI the newer) and libbit4opki ("Bit4ID Oberthur
// Middleware"). OpenSC reads any CNS card (its itacns driver matches the
// "CNS" historical bytes), so opensc-pkcs11 is listed for CNS cards only.
var maskMakers = map[byte]struct {
	name, middleware string
	modules          []string
}{
	0x01: {"Kaitech", "", nil},
	0x02: {"Gemplus", "", nil},
	0x03: {"Ghirlanda", "", nil},
	0x04: {"Giesecke & Devrient", "", nil},
	0x05: {"IDEMIA (Oberthur)", "il driver Bit4id per carte Oberthur (bit4opki) o quello IDEMIA/Oberthur (OCSCryptoki)", []string{"bit4opki", "ocscryptoki"}},
	0x06: {"Orga", "", nil},
	0x07: {"Axalto", "", nil},
	0x08: {"Siemens (CardOS)", "il driver Siemens CardOS (siecap11 o cnsPKCS11) dell'ente che ha emesso la carta", []string{"siecap11", "cnspkcs11", "cardos_pkcs11"}},
	0x09: {"STIncard", "il driver Bit4id (bit4xpki o bit4ipki) o quello Incard (incryptoki2)", []string{"bit4xpki", "bit4ipki", "incryptoki2", "inp11", "inp11lib"}},
	0x0a: {"GEP", "", nil},
	0x0b: {"EPS Corp", "", nil},
	0x0c: {"Athena", "il driver Athena (asepkcs, libASEP11) o Bit4id xPKI (bit4xpki)", []string{"asepkcs", "asep11", "bit4xpki"}},
	0x0d: {"Gemalto", "", nil},
}

// Chip makers (hist[2]), the ISO/IEC 7816-6 IC manufacturer codes as
// OpenSC lists them (pkcs15-itacns.c, iso7816_ic_manufacturers); only the
// ones found on Italian cards are named.
var chipMakers = map[byte]string{
	0x02: "STMicroelectronics", 0x04: "NXP", 0x05: "Infineon", 0x15: "Atmel",
}

// cardRule names cards whose ATR contains a byte sequence.
type cardRule struct {
	contains   []byte // a byte sequence of the ATR
	name, kind string
	middleware string
	modules    []string
}

// The CIE 3.0 middleware: the Ministry of the Interior's "Software CIE"
// (italia/cie-middleware-linux, italia/cie-middleware: CIEPKI.dll on
// Windows, libcie-pkcs11 on Linux and macOS). OpenSC does not read the
// CIE 3.0.
const cieMiddleware = "il Software CIE (CIE ID) del Ministero dell'Interno (CIEPKI.dll, libcie-pkcs11)"

var cieModules = []string{"ciepki", "cie-pkcs11"}

// cardRules are checked before the CNS decoding. Sources:
//   - CIE 3.0: the ATR fragments by which the CIE middleware tells its
//     chips apart (italia/cie-middleware-linux, cie_sign_sdk/src/CSP/ATR.cpp:
//     NXP, Gemalto, Gemalto2, STM, STM3, Actalis, Bit4Id; STM2, the bare
//     "80 80 01 01", is too short to name a card and is left out); the
//     same ATRs are in smartcard_list.txt ("Italian Electronic Contactless
//     Identity Card v. 3.0 (CIE 3.0)"); italia/cie-middleware-linux issue
//     37 shows a CIE with 3B 8F 80 01 80 31 80 65 B0 85 04 00 11 12 0F FF
//     82 90 00 8A.
//   - IDEMIA (Oberthur) CNS of 2021: OpenSC's card-itacns.c ATR table
//     (3b:8b:80:01:00:31:c1:64 followed by any bytes, "Idemia (Oberthur)").
//   - Bit4id: historical bytes spelling "BIT4ID" (42 49 54 34 49 44), as in
//     smartcard_list.txt's "bit4id TokenMe" (3B 9F 11 81 31 FE 9F 00 6B 42
//     49 54 34 49 44 20 33 2E 30 ...) and "Touch&Sign 2048" (3B FF 18 00
//     FF 81 31 FE 55 00 6B 42 49 54 34 49 44 20 31 2E 30 ...).
var cardRules = []cardRule{
	{contains: []byte{0x80, 0x31, 0x80, 0x65, 0x49, 0x54, 0x4E, 0x58, 0x50}, name: "CIE 3.0 (Carta d'Identità Elettronica, chip NXP)", kind: "cie", middleware: cieMiddleware, modules: cieModules},
	{contains: []byte{0x80, 0x31, 0x80, 0x65, 0xB0, 0x85, 0x04, 0x00, 0x11}, name: "CIE 3.0 (Carta d'Identità Elettronica, chip Gemalto)", kind: "cie", middleware: cieMiddleware, modules: cieModules},
	{contains: []byte{0x80, 0x31, 0x80, 0x65, 0xB0, 0x85, 0x03, 0x00, 0xEF}, name: "CIE 3.0 (Carta d'Identità Elettronica, chip Gemalto)", kind: "cie", middleware: cieMiddleware, modules: cieModules},
	{contains: []byte{0x80, 0x66, 0x47, 0x50, 0x00, 0xB8, 0x00, 0x7F}, name: "CIE 3.0 (Carta d'Identità Elettronica, chip STMicroelectronics)", kind: "cie", middleware: cieMiddleware, modules: cieModules},
	{contains: []byte{0x80, 0x66, 0x47, 0x50, 0x00, 0xB8, 0x00, 0x94, 0x82, 0x90, 0x00, 0xC5}, name: "CIE 3.0 (Carta d'Identità Elettronica, chip STMicroelectronics)", kind: "cie", middleware: cieMiddleware, modules: cieModules},
	{contains: []byte{0x80, 0x31, 0x80, 0x65, 0x49, 0x54, 0x4A, 0x34, 0x41, 0x12, 0x0F, 0xFF, 0x82, 0x90, 0x00, 0x88}, name: "CIE 3.0 (Carta d'Identità Elettronica, chip Actalis)", kind: "cie", middleware: cieMiddleware, modules: cieModules},
	{contains: []byte{0x80, 0x31, 0x80, 0x65, 0x49, 0x54, 0x4A, 0x34, 0x42, 0x12, 0x0F, 0xFF, 0x82, 0x90, 0x00, 0x8B}, name: "CIE 3.0 (Carta d'Identità Elettronica, chip Bit4id)", kind: "cie", middleware: cieMiddleware, modules: cieModules},
	{contains: []byte{0x3B, 0x8B, 0x80, 0x01, 0x00, 0x31, 0xC1, 0x64}, name: "CNS (Carta Nazionale dei Servizi) IDEMIA (Oberthur)", kind: "cns",
		middleware: "il driver dell'ente che l'ha emessa per le carte IDEMIA (Oberthur); su Linux la legge anche OpenSC", modules: []string{"bit4xpki", "bit4opki", "ocscryptoki", "opensc-pkcs11"}},
	{contains: []byte("BIT4ID"), name: "dispositivo Bit4id", kind: "token", middleware: "il driver Bit4id xPKI (bit4xpki)", modules: []string{"bit4xpki", "bit4ipki"}},
}

// NameCard names the card with this ATR: the built-in rules first, then
// the CNS historical bytes, then list (nil: none). It returns nil when
// nothing names it.
func NameCard(atr []byte, list *ATRList) *Card {
	return nameCard(atr, func() *ATRList { return list })
}

// nameCard is NameCard with the list read only when needed.
func nameCard(atr []byte, lazyList func() *ATRList) *Card {
	for _, r := range cardRules {
		if bytes.Contains(atr, r.contains) {
			return &Card{Name: r.name, Kind: r.kind, Middleware: r.middleware, Modules: r.modules, Source: "sportello"}
		}
	}
	if c := nameCNS(atr); c != nil {
		return c
	}
	if list := lazyList(); list != nil {
		if name := list.Lookup(FormatATR(atr)); name != "" {
			return &Card{Name: name, Kind: "other", Source: list.Path}
		}
	}
	return nil
}

// nameCNS decodes the historical bytes of the Italian CNS layout: 15
// bytes, "CNS" (a CNS) or "DSD" (a signature card) from the tenth, the
// chip maker in the third and the operating-system maker in the fourth.
func nameCNS(atr []byte) *Card {
	h := historical(atr)
	if len(h) != 15 {
		return nil
	}
	var c Card
	switch string(h[9:12]) {
	case "CNS":
		c = Card{Name: "CNS (Carta Nazionale dei Servizi)", Kind: "cns"}
	case "DSD":
		c = Card{Name: "carta di firma digitale", Kind: "signature"}
	default:
		return nil
	}
	c.Source = "sportello"
	if m, ok := maskMakers[h[3]]; ok {
		c.Name += " " + m.name
		c.Middleware = m.middleware
		c.Modules = append([]string(nil), m.modules...)
	}
	if chip, ok := chipMakers[h[2]]; ok {
		c.Name += ", chip " + chip
	}
	if c.Kind == "cns" {
		if v := h[12]; v>>4 < 10 && v&0x0f < 10 {
			c.Name += fmt.Sprintf(", specifica CNS %d.%d", v>>4, v&0x0f)
		}
		c.Modules = append(c.Modules, "opensc-pkcs11")
		if c.Middleware == "" {
			c.Middleware = "il driver dell'ente che ha emesso la carta; su Linux la legge anche OpenSC"
		}
	}
	return &c
}

// ATRList is pcsc-tools' smartcard_list.txt: ATR patterns (regular
// expressions over "3B 02 14 50"-style text), each followed by lines of
// description that start with a tab.
type ATRList struct {
	Path string
	data []byte
}

// Limits for reading the list defensively: the file is data from outside
// the program and may be garbage.
const (
	maxATRListSize = 8 << 20 // bytes read of the file (pcsc-tools' is about 0.5 MB)
	maxATRLine     = 4 << 10 // a longer line is skipped
	maxCardName    = 200     // runes of a description kept
)

// ATRListPaths are where pcsc-tools' ATR_analysis looks for the list, in
// its order: the user's cache (written by `pcsc_scan -u`), then the
// system copies.
func ATRListPaths(root, home string) []string {
	var out []string
	if home != "" {
		out = append(out, home+"/.cache/smartcard_list.txt", home+"/.smartcard_list.txt")
	}
	o := Options{Root: root}
	return append(out, o.path("/usr/local/pcsc/smartcard_list.txt"), o.path("/usr/share/pcsc/smartcard_list.txt"),
		o.path("/usr/local/share/pcsc/smartcard_list.txt"))
}

// LoadATRList reads the first list found (nil when none is).
func LoadATRList(root, home string) *ATRList {
	for _, p := range ATRListPaths(root, home) {
		if l, err := ReadATRList(p); err == nil {
			return l
		}
	}
	return nil
}

// ReadATRList reads at most maxATRListSize bytes of the list at path.
func ReadATRList(path string) (*ATRList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxATRListSize))
	if err != nil {
		return nil, err
	}
	return &ATRList{Path: path, data: data}, nil
}

// NewATRList makes a list from data (tests, embedded copies).
func NewATRList(path string, data []byte) *ATRList { return &ATRList{Path: path, data: data} }

// Lookup returns the description of atr ("3B FF 18 00 ..."): of the line
// equal to it if there is one, else of the first pattern matching it as a
// whole; "" when none does. Patterns are compiled only when their literal
// start is a prefix of atr, so a lookup reads the file once and compiles
// a handful of expressions (Go's regexp runs in linear time, so no
// pattern can make it hang). Lines too long, patterns that do not compile
// and descriptions that are not text are skipped.
func (l *ATRList) Lookup(atr string) string {
	atr = strings.ToUpper(atr)
	first := "" // the description of the first pattern that matched
	match := 0  // how the current entry's line matched atr: 0 not, 1 as a pattern, 2 equal
	desc := ""  // the current entry's first description line
	endEntry := func() string {
		if match == 2 && desc != "" {
			return desc
		}
		if match == 1 && desc != "" && first == "" {
			first = desc
		}
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(l.data))
	sc.Buffer(make([]byte, 0, 64<<10), maxATRListSize+1)
	for sc.Scan() {
		line := sc.Text()
		if len(line) > maxATRLine {
			continue
		}
		if strings.HasPrefix(line, "\t") {
			if match > 0 && desc == "" {
				desc = cardName(line[1:])
			}
			continue
		}
		if d := endEntry(); d != "" {
			return d
		}
		match, desc = 0, ""
		line = strings.TrimRight(line, " \r")
		switch {
		case line == "" || line[0] == '#':
		case strings.EqualFold(line, atr):
			match = 2
		case first == "" && patternMatches(line, atr):
			match = 1
		}
	}
	if d := endEntry(); d != "" {
		return d
	}
	return first
}

// patternMatches reports whether the regular expression pattern matches
// the whole of atr, compiling it only when its literal start fits.
func patternMatches(pattern, atr string) bool {
	lit := pattern
	if i := strings.IndexAny(pattern, `.[]()*+?{}|\^$`); i >= 0 {
		lit = pattern[:i]
	}
	if !strings.HasPrefix(atr, strings.ToUpper(lit)) {
		return false
	}
	re, err := regexp.Compile(`(?i)^(?:` + pattern + `)$`)
	if err != nil {
		return false
	}
	return re.MatchString(atr)
}

// cardName keeps a description line that is text and not a web address,
// trimmed to maxCardName runes; "" otherwise. Control characters stay:
// the renderers escape them.
func cardName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || !utf8.ValidString(s) {
		return ""
	}
	if utf8.RuneCountInString(s) > maxCardName {
		s = string([]rune(s)[:maxCardName]) + "…"
	}
	return s
}
