package station

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func mustATR(t *testing.T, s string) []byte {
	t.Helper()
	b, err := ParseATRHex(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return b
}

func TestHistorical(t *testing.T) {
	for _, c := range []struct{ atr, hist string }{
		// TA1 TB1 TC1 TD1, TD2, TA3 TB3, then 15 bytes and TCK.
		{"3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D", "00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80"},
		// TA1 TC1 TD1, TD2, TA3 TB3.
		{"3B DF 18 00 81 31 FE 7D 00 6B 15 0C 01 81 01 11 01 43 4E 53 10 31 80 E8", "00 6B 15 0C 01 81 01 11 01 43 4E 53 10 31 80"},
		{"3B 02 14 50", "14 50"},
		{"3B 8F", ""}, // truncated
	} {
		got := FormatATR(historical(mustATR(t, c.atr)))
		if got != c.hist {
			t.Errorf("historical(%s) = %q, want %q", c.atr, got, c.hist)
		}
	}
}

func TestNameCard(t *testing.T) {
	for _, c := range []struct {
		atr, name, kind string
		module          string // one of Modules
	}{
		// ATRs from pcsc-tools' smartcard_list.txt (2023), named by the
		// CNS historical bytes.
		{"3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D", "CNS (Carta Nazionale dei Servizi) STIncard, chip STMicroelectronics, specifica CNS 1.0", "cns", "bit4xpki"},
		{"3B FF 18 00 00 81 31 FE 55 00 6B 02 09 14 03 01 01 01 43 4E 53 10 31 80 75", "CNS (Carta Nazionale dei Servizi) STIncard, chip STMicroelectronics, specifica CNS 1.0", "cns", "incryptoki2"},
		{"3B DF 18 00 81 31 FE 7D 00 6B 15 0C 01 81 01 11 01 43 4E 53 10 31 80 E8", "CNS (Carta Nazionale dei Servizi) Athena, chip Atmel, specifica CNS 1.0", "cns", "asepkcs"},
		{"3B FF 18 00 FF C1 0A 31 FE 55 00 6B 05 08 C8 05 01 11 01 43 4E 53 10 31 80 0C", "CNS (Carta Nazionale dei Servizi) Siemens (CardOS), chip Infineon, specifica CNS 1.0", "cns", "siecap11"},
		{"3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 04 03 01 01 01 44 53 44 10 31 80 97", "carta di firma digitale STIncard, chip STMicroelectronics", "signature", "bit4ipki"},
		{"3B 8E 80 01 80 31 80 65 49 54 4E 58 50 12 0F FF 82 90 F0", "CIE 3.0 (Carta d'Identità Elettronica, chip NXP)", "cie", "ciepki"},
		{"3B 8B 80 01 80 66 47 50 00 B8 00 94 82 90 00 C5", "CIE 3.0 (Carta d'Identità Elettronica, chip STMicroelectronics)", "cie", "cie-pkcs11"},
		{"3B 8F 80 01 80 31 80 65 B0 85 04 00 11 12 0F FF 82 90 00 8A", "CIE 3.0 (Carta d'Identità Elettronica, chip Gemalto)", "cie", "ciepki"},
		{"3B 9F 11 81 31 FE 9F 00 6B 42 49 54 34 49 44 20 33 2E 30 00 90 00 CF", "dispositivo Bit4id", "token", "bit4xpki"},
		{"3B 8B 80 01 00 31 C1 64 08 92 33 54 00 90 00 F3", "CNS (Carta Nazionale dei Servizi) IDEMIA (Oberthur)", "cns", "opensc-pkcs11"},
	} {
		card := NameCard(mustATR(t, c.atr), nil)
		if card == nil {
			t.Errorf("%s: not named", c.atr)
			continue
		}
		if card.Name != c.name || card.Kind != c.kind || card.Source != "sportello" || card.Middleware == "" {
			t.Errorf("%s: got %+v, want name %q kind %q", c.atr, card, c.name, c.kind)
		}
		if !slices.Contains(card.Modules, c.module) {
			t.Errorf("%s: modules %v lack %s", c.atr, card.Modules, c.module)
		}
	}
	if c := NameCard(mustATR(t, "3B 02 14 50"), nil); c != nil {
		t.Errorf("an unknown card got a name without a list: %+v", c)
	}
}

func TestATRListLookup(t *testing.T) {
	list := NewATRList("lista.txt", []byte("# comment\n"+
		"3B 02 14 50\n\tSchlumberger Multiflex 3k\n\n"+
		"3B 02 .. 51\n\thttp://example.com\n\tA pattern card\n\n"+
		"3B 03 .. 52\n\tFirst pattern\n\n"+
		"3B 03 11 52\n\tExact line wins\n\n"+
		"3B 04 [ invalid\n\tBroken pattern\n\n"+
		"3B 05 (.*)*\n\tGreedy but linear\n"))
	for atr, want := range map[string]string{
		"3B 02 14 50":    "Schlumberger Multiflex 3k",
		"3b 02 14 50":    "Schlumberger Multiflex 3k",
		"3B 02 99 51":    "A pattern card", // the URL line is skipped
		"3B 03 11 52":    "Exact line wins",
		"3B 03 22 52":    "First pattern",
		"3B 04 00":       "", // the broken pattern is skipped
		"3B 05 00 00 00": "Greedy but linear",
		"3B 06 00":       "",
	} {
		if got := list.Lookup(atr); got != want {
			t.Errorf("Lookup(%q) = %q, want %q", atr, got, want)
		}
	}
	card := NameCard(mustATR(t, "3B 02 14 50"), list)
	if card == nil || card.Name != "Schlumberger Multiflex 3k" || card.Source != "lista.txt" || card.Middleware != "" {
		t.Errorf("NameCard with a list: %+v", card)
	}
}

// TestATRListInstalled reads the real smartcard_list.txt of pcsc-tools
// (installed by `make test`): it names a known card, and our table wins
// for an Italian CNS that the list also names.
func TestATRListInstalled(t *testing.T) {
	const path = "/usr/share/pcsc/smartcard_list.txt"
	list, err := ReadATRList(path)
	if err != nil {
		t.Fatalf("%v: run `make test`, which installs pcsc-tools", err)
	}
	if got := list.Lookup("3B 02 14 50"); !strings.Contains(got, "Schlumberger") {
		t.Errorf("3B 02 14 50 = %q, want a Schlumberger card", got)
	}
	cns := mustATR(t, "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D")
	if got := list.Lookup(FormatATR(cns)); !strings.Contains(got, "CNS") {
		t.Errorf("the list does not name the Aruba CNS: %q", got)
	}
	if c := NameCard(cns, list); c.Source != "sportello" || c.Middleware == "" {
		t.Errorf("the built-in table did not win: %+v", c)
	}
}

// TestATRListGarbage: a list of random bytes, huge lines, control
// characters and bidi overrides names nothing wrongly and never panics;
// what it names is kept for the renderers to escape.
func TestATRListGarbage(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Repeat("3B ", 1<<20) + "\n\thuge\n")            // a 3 MB line
	b.WriteString("3B 07 00\n\t\x1b[31mEvil\u202e card\x00\n")            // escape, bidi, NUL
	b.WriteString("\xff\xfe\x00garbage\n3B 08 00\n\t\xff\xfe not utf8\n") // invalid UTF-8 description
	b.WriteString("3B 09 (((((((((((((\n\tunbalanced\n")
	b.WriteString("3B 0A " + strings.Repeat("(a{1000}){1000}", 10) + "\n\ttoo big\n")
	for range 1000 {
		b.WriteString("\t\t\t\n")
	}
	list := NewATRList("garbage", []byte(b.String()))
	if got := list.Lookup("3B 07 00"); got != "\x1b[31mEvil\u202e card\x00" {
		t.Errorf("control characters: %q", got)
	}
	for _, atr := range []string{"3B 08 00", "3B 09 00", "3B 0A 00", "3B"} {
		if got := list.Lookup(atr); got != "" {
			t.Errorf("Lookup(%q) = %q, want nothing", atr, got)
		}
	}
	// A file far larger than the limit is read only up to it.
	dir := t.TempDir()
	big := dir + "/big.txt"
	if err := os.WriteFile(big, []byte(strings.Repeat("x", maxATRListSize+100)), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := ReadATRList(big)
	if err != nil || len(l.data) != maxATRListSize {
		t.Errorf("ReadATRList of a big file: %v, %d bytes", err, len(l.data))
	}
}

func TestParseATRHex(t *testing.T) {
	for _, bad := range []string{"", "3B", "zz", strings.Repeat("3B", 34)} {
		if _, err := ParseATRHex(bad); err == nil {
			t.Errorf("ParseATRHex(%q) accepted", bad)
		}
	}
	if b, err := ParseATRHex("3b:ff:18"); err != nil || FormatATR(b) != "3B FF 18" {
		t.Errorf("colons: %v %v", b, err)
	}
}

func TestSplitMultiString(t *testing.T) {
	got := splitMultiString([]byte("Lettore A\x00Lettore B\x00\x00garbage"))
	if len(got) != 2 || got[0] != "Lettore A" || got[1] != "Lettore B" {
		t.Errorf("got %q", got)
	}
	if got := splitMultiString([]byte("senza fine")); len(got) != 1 {
		t.Errorf("unterminated: %q", got)
	}
	many := strings.Repeat("r\x00", 1000)
	if got := splitMultiString([]byte(many)); len(got) != maxReaders {
		t.Errorf("%d readers kept, want %d", len(got), maxReaders)
	}
}
