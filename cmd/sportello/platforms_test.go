//go:build linux

package main

// One set of expectations for both platforms: the same tokenScenarios, served
// by the same soft token (testdata/softp11, built with gcc for Linux and
// with mingw for Windows), are diagnosed by the Linux binary natively and
// by the cross-built sportello.exe under Wine. What may differ between
// the two is only what the operating system itself names differently (a
// signal against an NTSTATUS exception code), kept in each tokenScenario's
// per-OS lines.

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/softp11"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
	"github.com/sportello/sportello/internal/winetest"
)

func init() { testCleanups = append(testCleanups, winetest.Cleanup, softp11.Cleanup) }

// platform runs the binary of one OS against the soft token.
type platform struct {
	os       string // "linux", "windows"
	module   string // softp11 as the binary names it
	module32 string // a 32-bit build of it
	// path turns a Linux path into the binary's own name for it.
	path func(string) string
	run  func(t *testing.T, env []string, stdin string, args ...string) result
}

func linuxPlatform(t *testing.T) platform {
	return platform{
		os:       "linux",
		module:   softp11.Linux(t),
		module32: softp11.Linux32(t),
		path:     func(p string) string { return p },
		run: func(t *testing.T, env []string, stdin string, args ...string) result {
			return sportelloIn(t, env, stdin, args...)
		},
	}
}

func windowsPlatform(t *testing.T) platform {
	p := winetest.Get(t)
	return platform{
		os:       "windows",
		module:   winetest.WindowsPath(softp11.Windows(t)),
		module32: winetest.WindowsPath(softp11.Windows32(t)),
		path:     winetest.WindowsPath,
		run: func(t *testing.T, env []string, stdin string, args ...string) result {
			t.Helper()
			r := p.Run(t, winetest.RunOptions{Args: args, Env: env, Stdin: stdin})
			if r.TimedOut {
				t.Fatalf("sportello.exe %s did not finish in a minute", strings.Join(args, " "))
			}
			res := result{stdout: r.Stdout, stderr: r.Stderr, code: r.ExitCode, took: r.Took}
			noTrace(t, res)
			return res
		},
	}
}

// tokenScenario is one state of the soft token and what both platforms must
// make of it.
type tokenScenario struct {
	name   string
	conf   func(t *testing.T) softp11.Config
	args   []string
	code   int
	text   []string            // lines (substrings) of the text report on every OS
	perOS  map[string][]string // more substrings, for one OS
	never  []string            // substrings no output may hold
	check  func(t *testing.T, r *diag.Report)
	module func(p platform) string // default p.module
}

// certificates are made once per test process: the same DER on both
// platforms.
var scenarioCerts = struct {
	once                          sync.Once
	valid, cns, expiring, expired []byte
}{}

func certs(t *testing.T) (valid, cns, expiring, expired []byte) {
	c := &scenarioCerts
	c.once.Do(func() {
		c.valid = tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: inDays(500)})
		c.cns = tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.CNS, NotAfter: inDays(400)})
		c.expiring = tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: inDays(12)})
		c.expired = tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotBefore: inDays(-800), NotAfter: inDays(-5)})
	})
	return c.valid, c.cns, c.expiring, c.expired
}

// softDevice is the usual token: "Firma Test", a signature and a CNS
// certificate, with the given flags and faults.
func softDevice(flags uint, faults ...softp11.Fault) func(t *testing.T) softp11.Config {
	return func(t *testing.T) softp11.Config {
		valid, cns, _, _ := certs(t)
		return softp11.Config{
			Manufacturer: "SoftP11",
			Slots: []softp11.Slot{{Token: &softp11.Token{
				Label: "Firma Test", Serial: "0123456789AB", Manufacturer: "Prova S.p.A.", Model: "Token 1",
				Flags: flags,
				Certs: []softp11.Cert{{Label: "firma", ID: []byte{1}, DER: valid}, {Label: "cns", ID: []byte{2}, DER: cns}},
			}}},
			Faults: faults,
		}
	}
}

// withCert is the usual token, ready, holding one signature certificate.
func withCert(der func(t *testing.T) []byte) func(t *testing.T) softp11.Config {
	return func(t *testing.T) softp11.Config {
		c := softDevice(softp11.FlagsReady)(t)
		c.Slots[0].Token.Certs = []softp11.Cert{{Label: "firma", ID: []byte{1}, DER: der(t)}}
		return c
	}
}

// onlyModule returns the one module of a report, failing t otherwise.
func onlyModule(t *testing.T, r *diag.Report) token.Module {
	t.Helper()
	if len(r.Modules) != 1 {
		t.Fatalf("modules: %+v", r.Modules)
	}
	return r.Modules[0]
}

func firstToken(t *testing.T, r *diag.Report) *token.Token {
	t.Helper()
	for _, s := range onlyModule(t, r).Slots {
		if s.Token != nil {
			return s.Token
		}
	}
	t.Fatalf("no token in %+v", r.Modules)
	return nil
}

func wantFault(kind token.FaultKind, call string) func(t *testing.T, r *diag.Report) {
	return func(t *testing.T, r *diag.Report) {
		t.Helper()
		m := onlyModule(t, r)
		if m.Status != token.ModuleFault || m.Fault == nil || m.Fault.Kind != kind || m.Fault.Call != call {
			t.Errorf("want a %s fault in %s, got %s %+v", kind, call, m.Status, m.Fault)
		}
	}
}

func wantStates(pin, puk token.State) func(t *testing.T, r *diag.Report) {
	return func(t *testing.T, r *diag.Report) {
		t.Helper()
		if tok := firstToken(t, r); tok.PIN != pin || tok.PUK != puk {
			t.Errorf("PIN %s PUK %s, want %s %s", tok.PIN, tok.PUK, pin, puk)
		}
	}
}

var tokenScenarios = []tokenScenario{
	{
		name: "ok", conf: softDevice(softp11.FlagsReady), code: 0,
		text: []string{
			"Dispositivo «Firma Test»: Prova S.p.A. Token 1, seriale 0123456789AB",
			"PIN: utilizzabile (ok)   PUK: non comunicato (unknown)",
			"firma qualificata, valido", "autenticazione (CNS), valido",
			"Titolare: MARIO ROSSI, codice fiscale RSSMRA80A01H501U",
			"✓ Esito: Nessun problema: il dispositivo di firma è pronto",
		},
		check: func(t *testing.T, r *diag.Report) {
			m := onlyModule(t, r)
			if m.Status != token.ModuleOK || m.Library == nil || m.Library.Manufacturer != "SoftP11" || m.Library.CryptokiVersion != "2.40" {
				t.Errorf("module %+v", m)
			}
			tok := firstToken(t, r)
			if tok.Label != "Firma Test" || tok.Serial != "0123456789AB" || tok.Manufacturer != "Prova S.p.A." || tok.Model != "Token 1" ||
				tok.Flags.Value != softp11.FlagsReady || !tok.Initialized || tok.PIN != token.StateOK {
				t.Errorf("token read through the structures: %+v", tok)
			}
			if len(tok.Certificates) != 2 {
				t.Fatalf("certificates %+v", tok.Certificates)
			}
			for _, c := range tok.Certificates {
				want := map[string]int{"firma": 500, "cns": 400}[c.Label]
				if c.Holder != "MARIO ROSSI" || c.CodiceFiscale != "RSSMRA80A01H501U" || c.DaysLeft == nil || *c.DaysLeft != want || c.Status != token.CertValid {
					t.Errorf("certificate %s: holder %q cf %q days %d status %s", c.Label, c.Holder, c.CodiceFiscale, c.DaysLeft, c.Status)
				}
			}
			if !r.Verdict.OK || r.Verdict.Counts.Pass != 5 {
				t.Errorf("verdict %+v", r.Verdict)
			}
		},
	},
	{
		name: "PIN count low", conf: softDevice(softp11.FlagsReady | softp11.FlagUserPINCountLow), code: 0,
		text:  []string{"! È stato inserito un PIN errato"},
		check: wantStates(token.StateCountLow, token.StateUnknown),
	},
	{
		name: "PIN final try", conf: softDevice(softp11.FlagsReady | softp11.FlagUserPINFinalTry), code: 1,
		text:  []string{"! Resta un solo tentativo per il PIN"},
		check: wantStates(token.StateFinalTry, token.StateUnknown),
	},
	{
		name: "PIN locked", conf: softDevice(softp11.FlagsReady | softp11.FlagUserPINLocked), code: 1,
		text:  []string{"✗ PIN del dispositivo «Firma Test» bloccato"},
		check: wantStates(token.StateLocked, token.StateUnknown),
	},
	{
		name: "PIN and PUK locked", conf: softDevice(softp11.FlagsReady | softp11.FlagUserPINLocked | softp11.FlagSOPINLocked), code: 1,
		text:  []string{"PUK: bloccato (locked)"},
		check: wantStates(token.StateLocked, token.StateLocked),
	},
	{
		name: "certificate expiring", code: 0,
		conf: withCert(func(t *testing.T) []byte { _, _, e, _ := certs(t); return e }),
		text: []string{"! Il certificato di firma di MARIO ROSSI scade tra 12 giorni"},
	},
	{
		name: "certificate expired", code: 1,
		conf: withCert(func(t *testing.T) []byte { _, _, _, e := certs(t); return e }),
		text: []string{"✗ Il certificato di firma di MARIO ROSSI è scaduto il"},
	},
	{
		name: "no token", code: 1,
		conf: func(*testing.T) softp11.Config { return softp11.Config{Slots: []softp11.Slot{{}}} },
		text: []string{"«SoftP11 lettore 0» di softp11", "vuoto", "✗ Nessun dispositivo di firma rilevato"},
	},
	{
		name: "no slots", code: 1,
		conf: func(*testing.T) softp11.Config { return softp11.Config{} },
		text: []string{"Nessuno slot.", "✗ Nessun dispositivo di firma rilevato"},
	},
	{
		name: "device error", code: 1,
		conf:  softDevice(softp11.FlagsReady, softp11.Fault{Kind: softp11.RV, Call: "C_GetTokenInfo", Arg: "0x30"}),
		text:  []string{"non risponde: errore del dispositivo", "CKR_DEVICE_ERROR"},
		check: func(t *testing.T, r *diag.Report) { _ = onlyModule(t, r) },
	},
	{
		name: "C_Initialize fails", code: 1,
		conf:  softDevice(softp11.FlagsReady, softp11.Fault{Kind: softp11.RV, Call: "C_Initialize", Arg: "0x6"}),
		text:  []string{"ha risposto con un errore", "CKR_FUNCTION_FAILED"},
		check: wantFault(token.FaultCall, "C_Initialize"),
	},
	{
		name: "hang in C_Initialize", code: 1, args: []string{"--timeout", "2s"},
		conf:  softDevice(softp11.FlagsReady, softp11.Fault{Kind: softp11.Hang, Call: "C_Initialize"}),
		text:  []string{"non ha risposto entro 2s (fermo in C_Initialize)"},
		check: wantFault(token.FaultTimeout, "C_Initialize"),
	},
	{
		name: "access violation", code: 1,
		conf: softDevice(softp11.FlagsReady, softp11.Fault{Kind: softp11.Crash, Call: "C_GetSlotList"}),
		text: []string{"si è arrestato in modo anomalo", "durante C_GetSlotList"},
		perOS: map[string][]string{
			"linux":   {"(SIGSEGV)"},
			"windows": {"violazione di accesso alla memoria", "0xC0000005"},
		},
		never: []string{"codice 3221225477"},
		check: wantFault(token.FaultCrash, "C_GetSlotList"),
	},
	{
		name: "stack overflow", code: 1,
		conf: softDevice(softp11.FlagsReady, softp11.Fault{Kind: softp11.StackOverflow, Call: "C_GetTokenInfo"}),
		text: []string{"si è arrestato in modo anomalo", "durante C_GetTokenInfo"},
		perOS: map[string][]string{
			"linux":   {"(SIGSEGV)"},
			"windows": {"stack esaurito", "0xC00000FD"},
		},
		never: []string{"codice 3221225725"},
		check: wantFault(token.FaultCrash, "C_GetTokenInfo"),
	},
	{
		name: "fail fast", code: 1,
		conf: softDevice(softp11.FlagsReady, softp11.Fault{Kind: softp11.FastFail, Call: "C_GetSlotInfo"}),
		text: []string{"si è arrestato in modo anomalo", "durante C_GetSlotInfo"},
		perOS: map[string][]string{
			"linux":   {"(SIGABRT)"},
			"windows": {"0xC0000409"},
		},
		never: []string{"codice 3221226505"},
		check: wantFault(token.FaultCrash, "C_GetSlotInfo"),
	},
	{
		name: "exit in C_Initialize", code: 1,
		conf:  softDevice(softp11.FlagsReady, softp11.Fault{Kind: softp11.Exit, Call: "C_Initialize", Arg: "3"}),
		text:  []string{"ha chiuso il programma durante C_Initialize (codice di uscita 3)"},
		check: wantFault(token.FaultExit, "C_Initialize"),
	},
	{
		name: "module prints on stdout", code: 0,
		conf: softDevice(softp11.FlagsReady,
			softp11.Fault{Kind: softp11.Print, Call: "C_Initialize", Arg: "rumore dal driver (printf)"},
			softp11.Fault{Kind: softp11.WriteStdout, Call: "C_GetSlotList", Arg: "rumore dal driver (handle)"}),
		text:  []string{"✓ Esito: Nessun problema"},
		check: wantStates(token.StateOK, token.StateUnknown),
	},
	{
		name: "32-bit driver", code: 1,
		module: func(p platform) string { return p.module32 },
		conf:   softDevice(softp11.FlagsReady),
		text:   []string{"driver a 32 bit: serve quello a 64 bit"},
		perOS: map[string][]string{
			// (Wine's GetSystemDirectory is in lower case.)
			"windows": {`C:\windows\system32 (in C:\windows\SysWOW64 ci sono quelli a 32 bit)`},
			"linux":   {"/usr/lib"},
		},
		never: []string{"porta USB"},
		check: func(t *testing.T, r *diag.Report) {
			if m := onlyModule(t, r); m.Fault == nil || m.Fault.Kind != token.FaultWrongArch {
				t.Errorf("fault %+v", m.Fault)
			}
		},
	},
	{
		name: "hostile label", code: 0,
		conf: func(t *testing.T) softp11.Config {
			c := softDevice(softp11.FlagsReady)(t)
			c.Slots[0].Token.Label = "\x1b]0;pwned\x07Firma"
			return c
		},
		text:  []string{`«\x1b]0;pwned\x07Firma»`},
		never: []string{"\x1b]0;", "\x07"},
	},
}

// runTokenScenarios runs every tokenScenario on p: text and JSON reports of each,
// and what the module saw called.
func runTokenScenarios(t *testing.T, p platform) {
	for _, sc := range tokenScenarios {
		t.Run(sc.name, func(t *testing.T) {
			dir := t.TempDir()
			conf := sc.conf(t).Write(t, dir)
			calls := filepath.Join(dir, "calls.log")
			env := []string{softp11.EnvConf + "=" + p.path(conf), softp11.EnvLog + "=" + p.path(calls)}
			module := p.module
			if sc.module != nil {
				module = sc.module(p)
			}
			// The token's state alone: the workstation has tests of its own.
			args := append([]string{"diagnose", "--no-workstation", "--module", module}, sc.args...)

			text := p.run(t, env, "", args...)
			if text.code != sc.code {
				t.Errorf("text: exit %d, want %d\n%s%s", text.code, sc.code, text.stdout, text.stderr)
			}
			for _, want := range append(append([]string(nil), sc.text...), sc.perOS[p.os]...) {
				if !strings.Contains(text.stdout, want) {
					t.Errorf("the text report lacks %q:\n%s", want, text.stdout)
				}
			}
			if strings.Contains(text.stdout, "rumore dal driver") {
				t.Errorf("what the module printed reached the report:\n%s", text.stdout)
			}

			js := p.run(t, env, "", append(args, "--format", "json")...)
			if js.code != sc.code {
				t.Errorf("json: exit %d, want %d", js.code, sc.code)
			}
			var rep diag.Report
			if err := json.Unmarshal([]byte(js.stdout), &rep); err != nil {
				t.Fatalf("stdout is not one JSON report: %v\n%s\n%s", err, js.stdout, js.stderr)
			}
			if sc.check != nil {
				sc.check(t, &rep)
			}
			for _, out := range []string{text.stdout, text.stderr, js.stdout, js.stderr} {
				for _, bad := range append([]string{"panic", "goroutine "}, sc.never...) {
					if strings.Contains(out, bad) {
						t.Errorf("output holds %q:\n%s", bad, out)
					}
				}
			}
			if log, err := os.ReadFile(calls); err == nil {
				for _, write := range []string{"C_Login", "C_InitToken", "C_InitPIN", "C_SetPIN", "C_CreateObject", "C_SetAttributeValue", "C_DestroyObject", "read-write session requested"} {
					if regexp.MustCompile(`(?m)^` + write + `$`).Match(log) {
						t.Errorf("the probe called %s", write)
					}
				}
			}
		})
	}
}

// TestSoftTokenLinux holds the Linux binary to the tokenScenarios, natively.
func TestSoftTokenLinux(t *testing.T) { runTokenScenarios(t, linuxPlatform(t)) }

// TestSoftTokenWindows holds sportello.exe to the same tokenScenarios under
// Wine: the structures are read through miekg/pkcs11's packed Windows
// layout from a DLL that follows the specification's packing on its own.
func TestSoftTokenWindows(t *testing.T) { runTokenScenarios(t, windowsPlatform(t)) }

// TestJUnitBothPlatforms: the JUnit report is the same document on both.
func TestJUnitBothPlatforms(t *testing.T) {
	for _, p := range []platform{linuxPlatform(t), windowsPlatform(t)} {
		t.Run(p.os, func(t *testing.T) {
			dir := t.TempDir()
			conf := softDevice(softp11.FlagsReady|softp11.FlagUserPINFinalTry)(t).Write(t, dir)
			r := p.run(t, []string{softp11.EnvConf + "=" + p.path(conf)}, "", "diagnose", "--no-workstation", "--module", p.module, "--format", "junit")
			var junit struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
				Cases    []struct {
					Name      string `xml:"name,attr"`
					SystemOut string `xml:"system-out"`
				} `xml:"testsuite>testcase"`
			}
			if err := xml.Unmarshal([]byte(r.stdout), &junit); err != nil {
				t.Fatalf("not XML: %v\n%s", err, r.stdout)
			}
			if r.code != 1 || junit.Tests != 6 || len(junit.Cases) != 6 {
				t.Errorf("exit %d, %+v", r.code, junit)
			}
			found := false
			for _, c := range junit.Cases {
				if strings.Contains(c.Name, "token.pin") && strings.Contains(c.SystemOut, "Resta un solo tentativo") {
					found = true
				}
			}
			if !found {
				t.Errorf("no token.pin case with the final try:\n%s", r.stdout)
			}
		})
	}
}
