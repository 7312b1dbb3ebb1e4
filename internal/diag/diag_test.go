package diag_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

func TestMain(m *testing.M) { os.Exit(tokentest.Main(m)) }

const hostileLabel = "\x1b[2J\x1b]0;pwned\x07Firma"

// signatureToken makes a SoftHSM2 token "Firma Test" holding a valid
// signature certificate and a CNS certificate that expires in 12 days.
func signatureToken(t *testing.T) *tokentest.HSM {
	t.Helper()
	h := tokentest.NewHSM(t)
	h.InitToken(t, "Firma Test", "12345678", "87654321")
	h.AddCert(t, "Firma Test", "12345678", "firma", []byte{1}, tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: time.Now().AddDate(2, 0, 0)}))
	h.AddCert(t, "Firma Test", "12345678", "cns", []byte{2}, tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.CNS, NotAfter: time.Now().Add(12*24*time.Hour + time.Hour)}))
	return h
}

func options(t *testing.T, modules ...string) diag.Options {
	return diag.Options{Executable: tokentest.Sportello(t), Modules: modules, Timeout: 10 * time.Second}
}

func statuses(r *diag.Report) map[string]check.Result {
	out := map[string]check.Result{}
	for _, c := range r.Checks {
		out[c.Check] = c
	}
	return out
}

func signatureSlot(t *testing.T, m token.Module) token.Slot {
	t.Helper()
	for _, s := range m.Slots {
		if s.Token != nil && s.Token.Initialized {
			return s
		}
	}
	t.Fatalf("no initialised token in %+v", m)
	return token.Slot{}
}

func TestDiagnoseSoftHSM(t *testing.T) {
	h := signatureToken(t)
	r := diag.Diagnose(context.Background(), options(t, h.Module))
	if r.Version != 1 || r.WarnDays != 30 || r.Timeout != "10s" || r.GeneratedAt.IsZero() {
		t.Errorf("header %+v", r)
	}
	if len(r.Modules) != 1 || r.Modules[0].Status != token.ModuleOK || r.Modules[0].Source != token.SourceOption {
		t.Fatalf("modules %+v", r.Modules)
	}
	tok := signatureSlot(t, r.Modules[0]).Token
	if tok.Label != "Firma Test" || tok.PIN != token.StateOK || tok.PUK != token.StateOK || len(tok.Certificates) != 2 {
		t.Errorf("token %+v", tok)
	}
	want := map[string]check.Status{
		check.TokenModule: check.Pass, check.TokenPresent: check.Pass, check.TokenPIN: check.Pass,
		check.TokenPUK: check.Pass, check.TokenCertificate: check.Pass, check.TokenCNS: check.Warn,
	}
	got := statuses(r)
	for name, st := range want {
		if got[name].Status != st {
			t.Errorf("%s: %q (%s), want %q", name, got[name].Status, got[name].Title, st)
		}
	}
	if c := got[check.TokenCNS]; c.Node != check.NodeCNS || !strings.Contains(c.Title, "scade tra 12 giorni") {
		t.Errorf("cns: %+v", c)
	}
	if !r.Verdict.OK || r.Verdict.Status != "warn" || r.Verdict.Counts.Warn != 1 || r.Verdict.Counts.Pass != 5 {
		t.Errorf("verdict %+v", r.Verdict)
	}
	o := options(t, h.Module)
	o.Strict = true
	if v := diag.Diagnose(context.Background(), o).Verdict; v.OK || v.Status != "warn" {
		t.Errorf("strict verdict %+v", v)
	}
}

// Every fault the proxy injects is diagnosed, within the timeout, with a
// message naming the module.
func TestFaults(t *testing.T) {
	h := signatureToken(t)
	fault := tokentest.FaultModule(t)
	t.Setenv("FAULT_REAL_MODULE", h.Module)
	cases := []struct {
		name    string
		env     map[string]string
		kind    token.FaultKind // module fault expected, or ""
		call    string
		message string
		check   string // a check and its expected status and node
		status  check.Status
		node    string
	}{
		{"hang in C_Initialize", map[string]string{"FAULT_HANG": "C_Initialize"}, token.FaultTimeout, "C_Initialize",
			"non ha risposto entro 1s (fermo in C_Initialize)", check.TokenModule, check.Error, check.NodeInstall},
		{"hang in C_GetTokenInfo", map[string]string{"FAULT_HANG": "C_GetTokenInfo"}, token.FaultTimeout, "C_GetTokenInfo",
			"fermo in C_GetTokenInfo", check.TokenModule, check.Error, check.NodeInstall},
		{"crash in C_GetSlotList", map[string]string{"FAULT_CRASH": "C_GetSlotList"}, token.FaultCrash, "C_GetSlotList",
			"si è arrestato in modo anomalo (SIGSEGV) durante C_GetSlotList", check.TokenModule, check.Error, check.NodeInstall},
		{"device error in C_GetSlotList", map[string]string{"FAULT_RV": "C_GetSlotList=0x30"}, token.FaultCall, "C_GetSlotList",
			"errore del dispositivo (CKR_DEVICE_ERROR in C_GetSlotList)", check.TokenModule, check.Error, check.NodeInstall},
		{"device error in C_GetTokenInfo", map[string]string{"FAULT_RV": "C_GetTokenInfo=0x30"}, "", "", "",
			check.TokenPresent, check.Error, check.NodeNotRecognised},
		{"device error in C_OpenSession", map[string]string{"FAULT_RV": "C_OpenSession=0x30"}, "", "", "",
			check.TokenCertificate, check.Error, check.NodeNotRecognised},
		{"final try", map[string]string{"FAULT_OR_FLAGS": "0x20000"}, "", "", "", check.TokenPIN, check.Warn, check.NodePINFinalTry},
		{"PIN locked", map[string]string{"FAULT_OR_FLAGS": "0x40000"}, "", "", "", check.TokenPIN, check.Fail, check.NodePINLocked},
		{"PIN and PUK locked", map[string]string{"FAULT_OR_FLAGS": "0x440000"}, "", "", "", check.TokenPIN, check.Fail, check.NodePUKLocked},
		{"PUK locked", map[string]string{"FAULT_OR_FLAGS": "0x400000"}, "", "", "", check.TokenPUK, check.Warn, check.NodePUKLocked},
		{"count low", map[string]string{"FAULT_OR_FLAGS": "0x10000"}, "", "", "", check.TokenPIN, check.Warn, ""},
		{"to be changed", map[string]string{"FAULT_OR_FLAGS": "0x80000"}, "", "", "", check.TokenPIN, check.Warn, ""},
		{"a module that prints on stdout", map[string]string{"FAULT_STDOUT": "}{ non è JSON\n"}, "", "", "", check.TokenPIN, check.Pass, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			o := options(t, fault)
			o.Timeout = time.Second
			start := time.Now()
			r := diag.Diagnose(context.Background(), o)
			if el := time.Since(start); el > 4*time.Second {
				t.Errorf("took %v with a 1s timeout", el)
			}
			m := r.Modules[0]
			if c.kind != "" {
				if m.Status != token.ModuleFault || m.Fault == nil || m.Fault.Kind != c.kind || m.Fault.Call != c.call {
					t.Fatalf("module %+v fault %+v, want %s in %s", m, m.Fault, c.kind, c.call)
				}
				if !strings.Contains(m.Fault.Message, c.message) || !strings.Contains(m.Fault.Message, "fault.so") {
					t.Errorf("message %q lacks %q or the module name", m.Fault.Message, c.message)
				}
			} else if m.Status != token.ModuleOK {
				t.Fatalf("module %+v", m)
			}
			res := statuses(r)[c.check]
			if res.Status != c.status || res.Node != c.node {
				t.Errorf("%s: %q node %q (%s), want %q %q", c.check, res.Status, res.Node, res.Title, c.status, c.node)
			}
			if r.Verdict.OK != ((c.status == check.Pass || c.status == check.Warn) && !res.Urgent) {
				t.Errorf("verdict %+v for a %s", r.Verdict, c.status)
			}
		})
	}
}

func TestHostileLabel(t *testing.T) {
	h := signatureToken(t)
	t.Setenv("FAULT_REAL_MODULE", h.Module)
	t.Setenv("FAULT_LABEL", hostileLabel)
	r := diag.Diagnose(context.Background(), options(t, tokentest.FaultModule(t)))
	tok := signatureSlot(t, r.Modules[0]).Token
	if tok.Label != hostileLabel {
		t.Errorf("label %q: the report must keep the raw value", tok.Label)
	}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `\u001b[2J\u001b]0;pwned\u0007Firma`) {
		t.Error("JSON does not keep the escaped label")
	}
	for _, c := range r.Checks {
		if strings.ContainsAny(c.Title+c.Detail+c.Remedy+strings.Join(mapValues(c.Facts), ""), "\x1b\x07") {
			t.Errorf("%s carries raw control characters: %q", c.Check, c.Title)
		}
	}
	if got := statuses(r)[check.TokenPresent].Title; !strings.Contains(got, `\x1b[2J`) {
		t.Errorf("title %q should show the escape visibly", got)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestFilesThatAreNotModules(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "libfinto.so")
	if err := os.WriteFile(text, []byte("non sono una libreria\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "libassente.so")
	r := diag.Diagnose(context.Background(), options(t, text, missing))
	if len(r.Modules) != 2 {
		t.Fatalf("modules %+v", r.Modules)
	}
	if f := r.Modules[0].Fault; f == nil || f.Kind != token.FaultNotLibrary || !strings.Contains(f.Message, "libfinto.so non è una libreria") {
		t.Errorf("text file: %+v", r.Modules[0])
	}
	if f := r.Modules[1].Fault; f == nil || f.Kind != token.FaultMissing || !strings.Contains(f.Message, "libassente.so non esiste") {
		t.Errorf("missing file: %+v", r.Modules[1])
	}
	res := statuses(r)[check.TokenModule]
	if res.Status != check.Error || r.Verdict.OK {
		t.Errorf("module check %+v verdict %+v", res, r.Verdict)
	}
}

// The parent judges its child by what it does, whatever the child is:
// these children are shell scripts standing in for a misbehaving probe.
func TestChildMisbehaviour(t *testing.T) {
	h := signatureToken(t)
	cases := []struct {
		name, script string
		kind         token.FaultKind
		want         string
	}{
		{"garbage on stdout", "echo '{\"path\": tronco'", token.FaultBadOutput, "risposta non valida"},
		{"another module's report", `echo '{"path":"/altro.so","status":"ok","reason":"","slots":[]}'`, token.FaultBadOutput, "risposta non valida"},
		{"trailing garbage", `printf '{"path":"%s","status":"ok","reason":"","slots":[]}\nxx' "$3"`, token.FaultBadOutput, "risposta non valida"},
		{"exit code 3", "echo 'sportello-probe: call C_GetInfo' >&2; echo boom >&2; exit 3", token.FaultExit, "ha chiuso il programma durante C_GetInfo (codice di uscita 3)"},
		{"exit code 3 after the calls", "echo 'sportello-probe: call C_Finalize' >&2; echo 'sportello-probe: end' >&2; exit 3", token.FaultExit, "è terminato con un errore (codice 3)"},
		{"exit 0 without a report", "echo 'sportello-probe: call C_Initialize' >&2; exit 0", token.FaultExit, "ha chiuso il programma durante C_Initialize (codice di uscita 0)"},
		{"a Go panic in the child", "echo 'sportello-probe: call C_GetSlotList' >&2; echo 'panic: runtime error: index out of range' >&2; exit 2", token.FaultExit, "è terminato con un errore (codice 2)"},
		{"killed by SIGTERM", "echo 'sportello-probe: call C_GetInfo' >&2; kill -TERM $$", token.FaultCrash, "(SIGTERM) durante C_GetInfo"},
		{"killed by SIGUSR1", "echo 'sportello-probe: call C_GetInfo' >&2; kill -USR1 $$", token.FaultCrash, "(segnale sconosciuto) durante C_GetInfo"},
		{"killed by SIGSEGV", "echo 'sportello-probe: call C_FindObjects' >&2; kill -SEGV $$", token.FaultCrash, "(SIGSEGV) durante C_FindObjects"},
		{"sleeps", "echo 'sportello-probe: call C_OpenSession' >&2; sleep 30", token.FaultTimeout, "fermo in C_OpenSession"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exe := filepath.Join(t.TempDir(), "probe.sh")
			if err := os.WriteFile(exe, []byte("#!/bin/sh\n"+c.script+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			o := diag.Options{Executable: exe, Modules: []string{h.Module}, Timeout: time.Second}
			start := time.Now()
			r := diag.Diagnose(context.Background(), o)
			if el := time.Since(start); el > 4*time.Second {
				t.Errorf("took %v", el)
			}
			m := r.Modules[0]
			if m.Fault == nil || m.Fault.Kind != c.kind || !strings.Contains(m.Fault.Message, c.want) {
				t.Errorf("fault %+v, want %s with %q", m.Fault, c.kind, c.want)
			}
		})
	}
}

func TestNoProbeExecutable(t *testing.T) {
	h := signatureToken(t)
	o := diag.Options{Executable: filepath.Join(t.TempDir(), "manca"), Modules: []string{h.Module}}
	r := diag.Diagnose(context.Background(), o)
	if f := r.Modules[0].Fault; f == nil || f.Kind != token.FaultExit || !strings.Contains(f.Message, "impossibile avviare il controllo del modulo libsofthsm2.so") {
		t.Errorf("fault %+v", f)
	}
	if r.Verdict.OK {
		t.Error("verdict ok without a probe")
	}
}

func TestCancel(t *testing.T) {
	h := signatureToken(t)
	t.Setenv("FAULT_REAL_MODULE", h.Module)
	t.Setenv("FAULT_HANG", "C_Initialize")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	o := options(t, tokentest.FaultModule(t), h.Module)
	start := time.Now()
	r := diag.Diagnose(ctx, o) // 10s timeout: only the cancellation can end it early
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("cancellation took %v", el)
	}
	for _, m := range r.Modules {
		if m.Fault == nil || m.Fault.Kind != token.FaultCanceled {
			t.Errorf("%s: %+v, want cancelled", m.Path, m.Fault)
		}
	}
	res := diag.NewRunner(o).Run(ctx, []string{check.TokenPIN}, nil)
	if len(res) != 1 || res[0].Status != check.Error || res[0].Title != "Controllo annullato" {
		t.Errorf("Run after cancel: %+v", res)
	}
}

func TestRunner(t *testing.T) {
	h := signatureToken(t)
	run := diag.NewRunner(options(t, h.Module))
	var _ check.Runner = run
	for name, want := range map[string]check.Status{check.TokenPIN: check.Pass, check.TokenCNS: check.Warn, "token.nope": check.Error} {
		res := run.Run(context.Background(), []string{name}, nil)
		if len(res) != 1 || res[0].Check != name || res[0].Status != want {
			t.Errorf("Run(%q) = %+v, want one %q", name, res, want)
		}
	}
	// Several names, from one probe, in the order of Known; emit hears each.
	var heard []string
	res := run.Run(context.Background(), []string{check.TokenCNS, check.TokenModule}, func(r check.Result) { heard = append(heard, r.Check) })
	if len(res) != 2 || res[0].Check != check.TokenModule || res[1].Check != check.TokenCNS || strings.Join(heard, " ") != "token.module token.cns" {
		t.Errorf("Run of two names: %+v, heard %v", res, heard)
	}
	if all := run.Run(context.Background(), nil, nil); len(all) != len(check.Known) {
		t.Errorf("Run(nil): %d results", len(all))
	}
	if rep := run.RunAll(context.Background()); len(rep.Checks) != len(check.Known) {
		t.Errorf("RunAll: %d checks", len(rep.Checks))
	}
}

func TestRedact(t *testing.T) {
	h := signatureToken(t)
	plain := diag.Diagnose(context.Background(), options(t, h.Module))
	tok := signatureSlot(t, plain.Modules[0]).Token
	secrets := []string{tok.Serial, "RSSMRA80A01H501U", "7420000000012345"}
	for _, c := range tok.Certificates {
		secrets = append(secrets, c.Serial)
	}
	raw, _ := json.Marshal(plain)
	for _, s := range secrets {
		if !strings.Contains(string(raw), s) {
			t.Fatalf("the unredacted report lacks %q: the test proves nothing", s)
		}
	}
	o := options(t, h.Module)
	o.Redact = true
	red := diag.Diagnose(context.Background(), o)
	raw, _ = json.Marshal(red)
	for _, s := range secrets {
		if strings.Contains(string(raw), s) {
			t.Errorf("redacted report still holds %q", s)
		}
	}
	if !red.Redacted || !strings.Contains(string(raw), "*************01U") {
		t.Errorf("redacted %v; masked CF missing", red.Redacted)
	}
	if statuses(red)[check.TokenCertificate].Facts[check.FactCertCF] != "*************01U" {
		t.Errorf("facts %v", statuses(red)[check.TokenCertificate].Facts)
	}
	// Redaction changes no verdict.
	if red.Verdict != plain.Verdict {
		t.Errorf("verdict %+v vs %+v", red.Verdict, plain.Verdict)
	}
}
