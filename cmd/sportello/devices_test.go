package main

// End-to-end tests of several devices and of hostile drivers: the real
// binary against SoftHSM2 tokens, through the fault proxy for the states
// SoftHSM2 cannot show.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/tokentest"
)

// device is one token of a fixture: its label and certificates.
type device struct {
	label string
	certs map[string]tokentest.CertSpec
}

// newTokens makes one SoftHSM2 installation holding every device (its
// free, uninitialised slot stays, as in every SoftHSM2 setup).
func newTokens(t testing.TB, devs ...device) *tokentest.HSM {
	t.Helper()
	h := tokentest.NewHSM(t)
	for _, d := range devs {
		h.InitToken(t, d.label, "12345678", "87654321")
		id := byte(1)
		for label, spec := range d.certs {
			h.AddCert(t, d.label, "12345678", label, []byte{id}, tokentest.NewCert(t, spec))
			id++
		}
	}
	return h
}

var (
	expired  = map[string]tokentest.CertSpec{"firma": {Kind: tokentest.Signature, NotBefore: inDays(-800), NotAfter: inDays(-60)}}
	expiring = map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(11)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(400)},
	}
	valid = map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(500)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(500)},
	}
)

// diagnoseJSON runs `sportello diagnose --format json` with args and
// reads its report.
func diagnoseJSON(t *testing.T, env []string, args ...string) (*diag.Report, result) {
	t.Helper()
	r := sportello(t, env, append([]string{"diagnose", "--format", "json"}, args...)...)
	var rep diag.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("diagnose JSON: %v\n%s%s", err, r.stdout, r.stderr)
	}
	return &rep, r
}

// perDevice maps check -> device label -> status ("" for no device).
func perDevice(rep *diag.Report) map[string]map[string]check.Status {
	out := map[string]map[string]check.Status{}
	for _, c := range rep.Checks {
		if out[c.Check] == nil {
			out[c.Check] = map[string]check.Status{}
		}
		label := ""
		if c.Device != nil {
			label = c.Device.Label
		}
		out[c.Check][label] = c.Status
	}
	return out
}

// Two and three tokens in different states: every one is judged, the
// verdict and the exit code are the worst over all of them.
func TestSeveralDevices(t *testing.T) {
	fault := tokentest.FaultModule(t)
	cases := []struct {
		name    string
		devs    []device
		env     []string // through the fault proxy when set
		code    int
		verdict string
		want    map[string]map[string]check.Status
		text    []string
	}{
		{
			// The example: one certificate expiring in 11 days, one
			// expired months ago. Before, "Nessun problema bloccante", exit 0.
			name: "expiring and expired", devs: []device{{"Nuova", expiring}, {"Vecchia", expired}}, code: 1,
			verdict: "Trovato 1 problema e 1 avviso su 2 dispositivi",
			want: map[string]map[string]check.Status{
				check.TokenModule:      {"": check.Pass},
				check.TokenPresent:     {"Nuova": check.Pass, "Vecchia": check.Pass},
				check.TokenCertificate: {"Nuova": check.Warn, "Vecchia": check.Fail},
				check.TokenCNS:         {"Nuova": check.Pass, "Vecchia": check.Skip},
			},
			text: []string{"di 2: «Vecchia»", "di 2: «Nuova»", "✗ Il certificato di firma di MARIO ROSSI è scaduto il", "— dispositivo «Vecchia»"},
		},
		{
			name: "valid, expiring, PIN locked", devs: []device{{"Ufficio", valid}, {"Nuova", expiring}, {"Bloccata", valid}},
			env: []string{"FAULT_ONLY_LABEL=Bloccata", "FAULT_OR_FLAGS=0x40000"}, code: 1,
			verdict: "Trovato 1 problema e 1 avviso su 3 dispositivi",
			want: map[string]map[string]check.Status{
				check.TokenPIN:         {"Ufficio": check.Pass, "Nuova": check.Pass, "Bloccata": check.Fail},
				check.TokenCertificate: {"Ufficio": check.Pass, "Nuova": check.Warn, "Bloccata": check.Pass},
			},
			text: []string{"di 3: «Bloccata»", "✗ PIN del dispositivo «Bloccata» bloccato"},
		},
		{
			name: "two good devices", devs: []device{{"Firma", valid}, {"Riserva", valid}}, code: 0,
			verdict: "Nessun problema: i 2 dispositivi di firma sono pronti",
			want:    map[string]map[string]check.Status{check.TokenCertificate: {"Firma": check.Pass, "Riserva": check.Pass}},
		},
		{
			name: "one good device, one expiring", devs: []device{{"Firma", valid}, {"Nuova", expiring}}, code: 0,
			verdict: "Nessun problema bloccante, ma 1 avviso da controllare su 2 dispositivi",
			want:    map[string]map[string]check.Status{check.TokenCertificate: {"Firma": check.Pass, "Nuova": check.Warn}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newTokens(t, c.devs...)
			env := []string{"SPORTELLO_PKCS11_MODULE=" + h.Module}
			if c.env != nil {
				env = append(c.env, "SPORTELLO_PKCS11_MODULE="+fault, "FAULT_REAL_MODULE="+h.Module)
			}
			// The devices alone: the workstation's checks are station_test.go's.
			rep, res := diagnoseJSON(t, env, "--no-workstation")
			if res.code != c.code || !strings.Contains(rep.Verdict.Message, c.verdict) {
				t.Errorf("exit %d verdict %q, want %d %q", res.code, rep.Verdict.Message, c.code, c.verdict)
			}
			got := perDevice(rep)
			for name, byDev := range c.want {
				for label, st := range byDev {
					if got[name][label] != st {
						t.Errorf("%s on %q: %s, want %s", name, label, got[name][label], st)
					}
				}
			}
			// One result per check and device; the order of Known, then of
			// the devices; the uninitialised free slot is not judged.
			if n := len(rep.Checks); n != 1+5*len(c.devs) {
				t.Errorf("%d results for %d devices", n, len(c.devs))
			}
			var order []string
			for i, r := range rep.Checks {
				if i > 0 && r.Check != rep.Checks[i-1].Check {
					order = append(order, r.Check)
				}
				if r.Check != check.TokenModule && (r.Device == nil || r.Device.Serial == "" || r.Device.Holder != "MARIO ROSSI") {
					t.Errorf("%s: device %+v", r.Check, r.Device)
				}
			}
			if strings.Join(order, " ") != strings.Join(check.TokenCheckNames[1:], " ") {
				t.Errorf("order %v", order)
			}
			for i := 1 + len(c.devs); i < len(rep.Checks); i++ { // the same device order under every check
				if prev, cur := rep.Checks[i-len(c.devs)], rep.Checks[i]; prev.Device.Key() != cur.Device.Key() {
					t.Errorf("device order differs: %s %s / %s %s", prev.Check, prev.Device.Label, cur.Check, cur.Device.Label)
				}
			}

			text := sportello(t, env, "diagnose", "--no-workstation")
			for _, want := range append(c.text, "Esito: "+c.verdict) {
				if !strings.Contains(text.stdout, want) {
					t.Errorf("text lacks %q:\n%s", want, text.stdout)
				}
			}
			var junit struct {
				Tests int `xml:"tests,attr"`
			}
			if err := xml.Unmarshal([]byte(sportello(t, env, "diagnose", "--format", "junit", "--no-workstation").stdout), &junit); err != nil || junit.Tests != 1+5*len(c.devs) {
				t.Errorf("junit: %d test cases (%v)", junit.Tests, err)
			}
		})
	}
}

// The text of every fault fixture is Italian: no English word of Go's or
// the system's error strings reaches a person, whatever the driver did.
// (Text that comes from the driver itself, such as SoftHSM2's library
// description, is the driver's and is left out of the scan.)
func TestNoEnglishInFaults(t *testing.T) {
	h := newToken(t, valid)
	fault := tokentest.FaultModule(t)
	dir := t.TempDir()
	broken := brokenLibraries(t, dir)
	proxied := func(extra ...string) []string {
		return append([]string{"SPORTELLO_PKCS11_MODULE=" + fault, "FAULT_REAL_MODULE=" + h.Module}, extra...)
	}
	fixtures := map[string][]string{
		"hang":                 proxied("FAULT_HANG=C_Initialize"),
		"crash":                proxied("FAULT_CRASH=C_GetSlotList"),
		"crash in a session":   proxied("FAULT_CRASH=C_FindObjectsInit"),
		"exit 0 in Initialize": proxied("FAULT_EXIT=C_Initialize=0"),
		"exit 3 in Initialize": proxied("FAULT_EXIT=C_Initialize=3"),
		"device error":         proxied("FAULT_RV=C_GetTokenInfo=0x30"),
		"session error":        proxied("FAULT_RV=C_OpenSession=0x30"),
		"slot list error":      proxied("FAULT_RV=C_GetSlotList=0x5"),
		"attribute error":      proxied("FAULT_RV=C_GetAttributeValue=0x30"),
		"unknown CK_RV":        proxied("FAULT_RV=C_Initialize=0x80000123"),
		"stdout garbage":       proxied("FAULT_STDOUT=}{ non è JSON\n"),
		"helper":               proxied("FAULT_HELPER=5"),
		"two billion slots":    proxied("FAULT_SLOT_COUNT=2000000000"),
		"2 GiB certificate":    proxied("FAULT_VALUE_LEN=2147483648"),
		"garbage certificate":  proxied("FAULT_GARBAGE=1"),
		"endless search":       proxied("FAULT_ENDLESS_FIND=1"),
		"no slots":             proxied("FAULT_NO_SLOTS=1"),
		"missing module":       {"SPORTELLO_PKCS11_MODULE=" + filepath.Join(dir, "assente.so")},
		"not a library":        {"SPORTELLO_PKCS11_MODULE=" + broken["text"]},
		"missing dependency":   {"SPORTELLO_PKCS11_MODULE=" + broken["dependency"]},
		"wrong ELF class":      {"SPORTELLO_PKCS11_MODULE=" + broken["class"]},
		"truncated ELF":        {"SPORTELLO_PKCS11_MODULE=" + broken["truncated"]},
		"not PKCS#11":          {"SPORTELLO_PKCS11_MODULE=" + broken["plain"]},
	}
	english := regexp.MustCompile(`(?i)\b(exec|waitdelay|expired|before|complete|unexpected|input|invalid|character|looking|beginning|` +
		`signal|killed|exit status|such|directory|denied|broken|pipe|cannot|failed|error|deadline|exceeded|canceled|malformed|` +
		`truncated|trailing|panic|goroutine|runtime|segmentation|violation|shared object|wrong|header|too short|eof|x509|asn1|` +
		`the|of|and|not found)\b`)
	for name, env := range fixtures {
		t.Run(name, func(t *testing.T) {
			for _, format := range []string{"text", "junit"} {
				r := sportello(t, env, "diagnose", "--timeout", "1s", "--format", format)
				if r.code != 0 && r.code != 1 {
					t.Errorf("%s: exit %d\n%s", format, r.code, r.stderr)
				}
				out := withoutDriverText(r.stdout)
				if format == "junit" {
					out = regexp.MustCompile(`<\?xml[^>]*>|</?[a-z-]+|[a-z]+="[^"]*"|/?>`).ReplaceAllString(out, " ") // the markup, not the words
					out = strings.NewReplacer("Cosa fare:", "").Replace(out)
				}
				for _, line := range strings.Split(out, "\n") {
					if m := english.FindString(line); m != "" {
						t.Errorf("%s: English %q in %q", format, m, line)
					}
				}
			}
		})
	}
}

// withoutDriverText drops what a driver says of itself (SoftHSM2's
// library description, manufacturer and model) from a report.
func withoutDriverText(s string) string {
	return strings.NewReplacer("Implementation of PKCS11", "", "SoftHSM project", "", "SoftHSM v2", "", "SoftHSM", "").Replace(s)
}

// brokenLibraries builds the files a broken installation leaves: text, a
// module whose dependency is gone, a 32-bit-looking and a truncated ELF,
// and a library that is not a PKCS#11 module.
func brokenLibraries(t *testing.T, dir string) map[string]string {
	t.Helper()
	gcc := tokentest.Tool(t, "gcc")
	out := map[string]string{}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	out["text"] = write("testo.so", []byte("non sono una libreria\n"))
	src := write("dep.c", []byte("int dep(void) { return 1; }\n"))
	mod := write("mod.c", []byte("int dep(void);\nint C_GetFunctionList(void **l) { *l = 0; return dep(); }\n"))
	plain := write("plain.c", []byte("int qualcosa(void) { return 2; }\n"))
	build := func(args ...string) {
		if o, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
			t.Fatalf("gcc %v: %v\n%s", args, err, o)
		}
	}
	build("-shared", "-fPIC", "-o", filepath.Join(dir, "libdipendenza.so"), src)
	build("-shared", "-fPIC", "-o", filepath.Join(dir, "libdriver.so"), mod, "-L"+dir, "-ldipendenza")
	build("-shared", "-fPIC", "-o", filepath.Join(dir, "libnonpkcs11.so"), plain)
	if err := os.Remove(filepath.Join(dir, "libdipendenza.so")); err != nil {
		t.Fatal(err)
	}
	out["dependency"] = filepath.Join(dir, "libdriver.so")
	out["plain"] = filepath.Join(dir, "libnonpkcs11.so")
	elf, err := os.ReadFile(out["plain"])
	if err != nil {
		t.Fatal(err)
	}
	class := append([]byte(nil), elf...)
	class[4] = 1 // EI_CLASS: ELFCLASS32
	out["class"] = write("lib32.so", class)
	out["truncated"] = write("libtronca.so", elf[:64])
	return out
}

// The loader's reasons are said in Italian, with the missing library named.
func TestBrokenLibrariesAreExplained(t *testing.T) {
	broken := brokenLibraries(t, t.TempDir())
	for name, want := range map[string]string{
		"dependency": "non si carica: manca una libreria da cui dipende (libdipendenza.so): reinstalla il driver",
		"class":      "non si carica: è per un'altra architettura",
		"truncated":  "non si carica: il file è danneggiato o non è una libreria valida",
		"plain":      "è una libreria ma non un modulo PKCS#11",
	} {
		r := sportello(t, nil, "diagnose", "--module", broken[name])
		if r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("%s: exit %d, want %q:\n%s", name, r.code, want, r.stdout)
		}
	}
}

// Text from drivers and certificates stays sanitised: a label with a bidi
// override and invalid UTF-8, a holder with an escape sequence.
func TestBidiAndInvalidUTF8(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{"firma": {Kind: tokentest.Signature, Given: "MARIO\u202e", Surname: "ROSSI\x1b[2J"}})
	env := []string{"SPORTELLO_PKCS11_MODULE=" + tokentest.FaultModule(t), "FAULT_REAL_MODULE=" + h.Module, "FAULT_LABEL=Fir\u202ema\xff\xfe"}
	for _, format := range []string{"text", "junit"} {
		r := sportello(t, env, "diagnose", "--format", format)
		if !utf8.ValidString(r.stdout) || strings.ContainsAny(r.stdout, "\u202e\x1b") {
			t.Errorf("%s: raw bidi override, escape or invalid UTF-8 in the output:\n%q", format, r.stdout)
		}
		if format == "text" && (!strings.Contains(r.stdout, `Fir\u{202e}ma`) || !strings.Contains(r.stdout, `MARIO\u{202e} ROSSI\x1b[2J`)) {
			t.Errorf("the unsafe characters are not shown escaped:\n%s", r.stdout)
		}
	}
	// The assistant too.
	out, _, _ := run(t, "", false, env, "run", "autodiagnosi", "--plain")
	if !utf8.ValidString(out) || strings.ContainsAny(out, "\u202e\x1b") {
		t.Errorf("plain mode: raw unsafe text:\n%q", out)
	}
}

// Bounded everything: whatever a driver claims, diagnose ends in bounded
// time with a peak resident set under 100 MB (GNU time's %M: the largest of
// diagnose and its probe child).
func TestBoundedMemory(t *testing.T) {
	timeBin := tokentest.Tool(t, "time")
	h := newToken(t, valid)
	fault := tokentest.FaultModule(t)
	// FAULT_VALUE_LEN=300000000: the binding alone (miekg/pkcs11's
	// GetAttributeValue) peaks at about 300 MB on it; 2^31 makes it panic.
	for _, env := range []string{"FAULT_SLOT_COUNT=2000000000", "FAULT_VALUE_LEN=300000000", "FAULT_VALUE_LEN=2147483648",
		"FAULT_VALUE_LEN=0xfffffffffffffff0", "FAULT_ENDLESS_FIND=1"} {
		t.Run(env, func(t *testing.T) {
			cmd := exec.Command(timeBin, "-f", "maxrss=%M", tokentest.Sportello(t), "diagnose", "--module", fault, "--timeout", "10s")
			cmd.Env = append(os.Environ(), "FAULT_REAL_MODULE="+h.Module, env)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			kib, err := maxRSS(stderr.String())
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: peak RSS %d KiB, %v", env, kib, took)
			if kib > 100*1024 || took > 5*time.Second {
				t.Errorf("peak RSS %d KiB, took %v: want under 100 MiB and 5 s", kib, took)
			}
			if !strings.Contains(stdout.String(), "✗ Esito") && !strings.Contains(stdout.String(), "? ") {
				t.Errorf("no diagnosis:\n%s", stdout.String())
			}
		})
	}
}
