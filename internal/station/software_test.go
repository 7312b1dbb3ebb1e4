package station

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestCatalogue(t *testing.T) {
	cases := map[string]string{
		"DiKe 6 PRO":            "dike6",
		"Dike 6 BK":             "dike6",
		"DikeUtil":              "dikeutil",
		"Dike Util 3.2":         "dikeutil",
		"Dì.Ke.":                "dike",
		"Dike":                  "dike",
		"dike":                  "dike", // InfoCert's Linux package
		"DikeIC 2.0":            "dikeic",
		"DikeX IC Lite":         "dikeic",
		"DiKe Lite_IC":          "dikeic",
		"DiKe Pro":              "dikepro",
		"Dike GoSign":           "gosign", // GoSign's old name: GoSign, not obsolete
		"GoSign Desktop":        "gosign",
		"gosigndesktop":         "gosign",
		"Bit4id xPKI":           "xpki",
		"bit4id-xpki":           "xpki",
		"SafeDive":              "safedive",
		"Safe Dive 6.0.7":       "safedive",
		"ArubaSign":             "arubasign",
		"Actalis FileProtector": "fileprotector",
		"Microsoft Office":      "",
		"":                      "",
		"\x1b[31m":              "",
		"Gosignal":              "gosign", // a prefix match: the catalogue is about names, documented
	}
	for name, want := range cases {
		e, ok := lookup(name)
		if got := e.Product; got != want || ok != (want != "") {
			t.Errorf("lookup(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, e := range catalogue {
		if e.Product == "" || e.Label == "" || len(e.Prefixes) == 0 {
			t.Errorf("incomplete catalogue entry %+v", e)
		}
		for _, p := range e.Prefixes {
			if p != normalise(p) {
				t.Errorf("%s: prefix %q is not normalised", e.Product, p)
			}
		}
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.4.10.598", "1.4.9.1200", 1},
		{"1.4.10.598", "1.4.10.598", 0},
		{"1.4.10", "1.4.10.598", -1},
		{"6.0.7", "6.0.7.0", 0},
		{"6.0.10", "6.0.7", 1},
		{"2.1.2-e422767", "2.1.10", -1},
		{"v2.0.5", "2.0.5", 0},
		{"10", "9.99", 1},
		{"", "1", -1},
		{"versione", "0.0.1", -1},
		{"99999999999999999999.1", "1", 1},
	}
	for _, c := range cases {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := CompareVersions(c.b, c.a); got != -c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.b, c.a, got, -c.want)
		}
	}
	if ParseVersion("non rilevata") || !ParseVersion("2.1") {
		t.Error("ParseVersion")
	}
}

func TestDecodeUTF16(t *testing.T) {
	enc := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	cases := []struct {
		in   []byte
		want string
	}{
		{append(enc("GoSign Desktop"), 0, 0), "GoSign Desktop"},
		{enc("Dike"), "Dike"},              // no final NUL
		{append(enc("Dike"), 'x'), "Dike"}, // odd length
		{append(append(enc("ab"), 0, 0), enc("hidden")...), "ab"},
		{[]byte{0x00, 0xd8, 'a', 0}, "\ufffda"}, // an unpaired surrogate
		{nil, ""},
	}
	for _, c := range cases {
		if got := decodeUTF16(c.in); got != c.want {
			t.Errorf("decodeUTF16(% x) = %q, want %q", c.in, got, c.want)
		}
	}
}

const dpkgFixture = `Package: libc6
Status: install ok installed
Version: 2.36-9
Description: GNU C Library
 continued line Package: dike

Package: dike
Status: install ok installed
Maintainer: InfoCert S.p.A.
Version: 7.1.0
Description: Tool di firma

Package: dikeutil
Status: deinstall ok config-files
Version: 1.0

Package: gosigndesktop
Status: hold ok installed
Version: 2.1.2

Package: bit4id-xpki
Status: install ok installed
Version: 1.4.9.100

Package: dike6` + "\x1b]0;pwned\x07\u202e" + `
Status: install ok installed
Version: 6.0
`

func TestDpkgStatus(t *testing.T) {
	got, scanned, err := parseDpkgStatus(context.Background(), strings.NewReader(dpkgFixture))
	if err != nil {
		t.Fatal(err)
	}
	if scanned != 6 {
		t.Errorf("scanned %d stanzas, want 6", scanned)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.Name+"="+p.Version)
	}
	want := "dike=7.1.0 gosigndesktop=2.1.2 bit4id-xpki=1.4.9.100 dike6\x1b]0;pwned\x07\u202e=6.0"
	if strings.Join(names, " ") != want {
		t.Errorf("found %q, want %q", strings.Join(names, " "), want)
	}
	s := &Software{}
	s.classify(got)
	if len(s.Obsolete) != 2 || len(s.GoSign) != 1 || len(s.Drivers) != 1 || s.Obsolete[0].Publisher != "InfoCert S.p.A." {
		t.Errorf("classified %+v", s)
	}
}

// A status file with a 20 MB line and binary garbage: parsed without
// holding the line, the stanzas after it still read.
func TestDpkgStatusGarbage(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("Package: big\nStatus: install ok installed\nDescription: ")
	b.Write(bytes.Repeat([]byte("x"), 20<<20))
	b.WriteString("\n\n\x00\xff\xfe garbage \x00\n:::\n\nPackage: safedive\nStatus: install ok installed\nVersion: 6.0.7\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, _, err := parseDpkgStatus(context.Background(), bytes.NewReader(b.Bytes()))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "safedive" {
		t.Errorf("found %+v, want safedive", got)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("parsing allocated %d bytes for a 20 MB line: not bounded", alloc)
	}
	if _, _, err := parseDpkgStatus(canceled(), bytes.NewReader(b.Bytes())); err == nil {
		t.Error("a cancelled parse did not stop")
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestClip(t *testing.T) {
	long := strings.Repeat("è", 1000)
	if got := []rune(clip(long)); len(got) != maxText+1 || got[maxText] != '…' {
		t.Errorf("clip kept %d runes", len(got))
	}
	if clip("GoSign") != "GoSign" {
		t.Error("clip changed a short string")
	}
}

func TestParsePlist(t *testing.T) {
	xml := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>CFBundleDocumentTypes</key><array><dict><key>CFBundleName</key><string>nested</string></dict></array>
  <key>LSRequiresNativeExecution</key><true/>
  <key>CFBundleName</key><string>GoSign Desktop</string>
  <key>CFBundleShortVersionString</key><string>2.1.2</string>
</dict></plist>`
	if p := parsePlist(strings.NewReader(xml)); p.name != "GoSign Desktop" || p.version != "2.1.2" {
		t.Errorf("parsePlist = %+v", p)
	}
	for _, bad := range []string{"bplist00\x00\x01\x02", "", "<plist><dict><key>CFBundleName", "\x00\xff<<<>>>"} {
		if p := parsePlist(strings.NewReader(bad)); p.name != "" || p.version != "" {
			t.Errorf("parsePlist(%q) = %+v", bad, p)
		}
	}
}

// BenchmarkDpkgStatus reads this machine's dpkg database as the Linux
// reader does (the number of packages is in the README with the result).
func BenchmarkDpkgStatus(b *testing.B) {
	data, err := os.ReadFile(dpkgStatus)
	if err != nil {
		b.Skip("no dpkg database here")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := parseDpkgStatus(context.Background(), bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGather runs every gatherer on this machine (software, stores,
// browsers and the others registered), as diagnose does.
func BenchmarkGather(b *testing.B) {
	home, _ := os.UserHomeDir()
	for b.Loop() {
		Gather(context.Background(), Options{GOOS: runtime.GOOS, Home: home})
	}
}
