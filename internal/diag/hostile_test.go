//go:build unix

// The hostile drivers are the fault proxy, a Linux shared library that
// forwards to SoftHSM2: these tests run where it builds.

package diag_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

// hostile runs the diagnosis through the fault proxy over a signature
// token, with env set, and returns the report and how long it took.
func hostile(t *testing.T, env map[string]string) (*diag.Report, time.Duration) {
	t.Helper()
	h := signatureToken(t)
	t.Setenv("FAULT_REAL_MODULE", h.Module)
	for k, v := range env {
		t.Setenv(k, v)
	}
	o := options(t, tokentest.FaultModule(t))
	o.Timeout = 5 * time.Second
	start := time.Now()
	r := diag.Diagnose(context.Background(), o)
	return r, time.Since(start)
}

// A helper process is not a fault: the module forks a helper that keeps
// the probe's stdout and stderr open for 30 s. The report the child wrote
// before exiting counts, at once, and the helper is killed afterwards.
func TestHelperHoldingThePipes(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "helper.pid")
	r, took := hostile(t, map[string]string{"FAULT_HELPER": "30", "FAULT_HELPER_PID": pidFile})
	m := r.Modules[0]
	if m.Status != token.ModuleOK || m.Fault != nil {
		t.Fatalf("module %s: %+v (%s)", m.Status, m.Fault, m.Reason)
	}
	if got := statuses(r)[check.TokenCertificate]; got.Status != check.Pass {
		t.Errorf("certificate %+v", got)
	}
	if took > 2*time.Second {
		t.Errorf("took %v: the parent waited on the helper's pipes", took)
	}
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the helper did not start: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
	deadline := time.Now().Add(3 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the helper %d outlived the diagnosis", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A module that ends the process inside a call is named with the call,
// whatever the exit code.
func TestExitInsideACall(t *testing.T) {
	for _, v := range []string{"C_Initialize=0", "C_Initialize=3", "C_GetTokenInfo"} {
		name := strings.ReplaceAll(v, "=", " exit ")
		t.Run(name, func(t *testing.T) {
			r, _ := hostile(t, map[string]string{"FAULT_EXIT": v})
			call, _, _ := strings.Cut(v, "=")
			f := r.Modules[0].Fault
			if f == nil || f.Kind != token.FaultExit || f.Call != call || !strings.Contains(f.Message, "il driver fault.so ha chiuso il programma durante "+call) {
				t.Fatalf("fault %+v", f)
			}
			if res := statuses(r)[check.TokenModule]; res.Status != check.Error || r.Verdict.OK {
				t.Errorf("module check %+v verdict %+v", res, r.Verdict)
			}
		})
	}
}

// Bounded everything: absurd claims get a precise diagnosis, quickly, and
// the probe never allocates what the driver claims.
func TestAbsurdClaims(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		check string
		want  string // in the result's title or detail, or the module's message
	}{
		{"two billion slots", map[string]string{"FAULT_SLOT_COUNT": "2000000000"}, check.TokenModule,
			"il modulo fault.so ha dato una risposta impossibile durante C_GetSlotList: il driver dichiara 2000000000 slot"},
		{"a certificate of 2 GiB", map[string]string{"FAULT_VALUE_LEN": "2147483648"}, check.TokenCertificate,
			"il driver dichiara un valore di 2147483648 byte"},
		{"a certificate of 2^64-1 bytes", map[string]string{"FAULT_VALUE_LEN": "0xfffffffffffffffe"}, check.TokenCertificate,
			"il driver dichiara un valore di 18446744073709551614 byte"},
		{"an endless object search", map[string]string{"FAULT_ENDLESS_FIND": "1"}, check.TokenCertificate,
			"la ricerca dei certificati non finisce"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, took := hostile(t, c.env)
			if took > 3*time.Second {
				t.Errorf("took %v", took)
			}
			res := statuses(r)[c.check]
			text := res.Title + " " + res.Detail + " " + r.Modules[0].Reason
			if res.Status != check.Error || !strings.Contains(text, c.want) {
				t.Errorf("%s: %s %q / %q / %q, want an error with %q", c.check, res.Status, res.Title, res.Detail, r.Modules[0].Reason, c.want)
			}
			if r.Verdict.OK {
				t.Errorf("verdict %+v", r.Verdict)
			}
		})
	}
}

// Unreadable is not missing, end to end: the driver lists the certificates
// but their value is an error, too long, or garbage.
func TestUnreadableCertificates(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"error":   {"FAULT_RV": "C_GetAttributeValue=0x30"},
		"length":  {"FAULT_VALUE_LEN": "2147483648"},
		"garbage": {"FAULT_GARBAGE": "1"},
	} {
		t.Run(name, func(t *testing.T) {
			r, _ := hostile(t, env)
			tok := signatureSlot(t, r.Modules[0]).Token
			if len(tok.Certificates) != 2 || !tok.Certificates[0].Unreadable || !tok.Certificates[1].Unreadable {
				t.Fatalf("certificates %+v", tok.Certificates)
			}
			for _, name := range []string{check.TokenCertificate, check.TokenCNS} {
				res := statuses(r)[name]
				if res.Status != check.Error || !strings.Contains(res.Title, "il driver non restituisce il certificato") ||
					strings.Contains(res.Remedy, "nuova emissione") || !strings.Contains(res.Remedy, "reinstalla il driver") {
					t.Errorf("%s: %+v", name, res)
				}
			}
		})
	}
}
