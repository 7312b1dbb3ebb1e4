// Package tokentest sets up real PKCS#11 tokens for the tests of the token
// diagnostics: a private SoftHSM2 token directory, tokens initialised with
// softhsm2-util, certificates made with crypto/x509 and stored with
// C_CreateObject, the fault-injecting proxy module of
// testdata/faultmodule built with gcc, and the sportello binary built with
// go build. Test setup may log in to SoftHSM2; the product code never does.
//
// Nothing here skips: a missing tool fails the test with a message that
// says to run `make test`, which installs what is missing.
package tokentest

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/pkcs11"
)

// SoftHSMCandidates are where Debian and other distributions put
// libsofthsm2.so.
var SoftHSMCandidates = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
}

// SpyCandidates are where OpenSC's pkcs11-spy.so may be.
var SpyCandidates = []string{
	"/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so",
	"/usr/lib/aarch64-linux-gnu/pkcs11/pkcs11-spy.so",
	"/usr/lib64/pkcs11/pkcs11-spy.so",
	"/usr/lib/pkcs11/pkcs11-spy.so",
}

func firstExisting(paths []string) string {
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// need fails t when a tool is missing.
func need(t testing.TB, what, found string) string {
	t.Helper()
	if found == "" {
		t.Fatalf("%s is missing: run `make test`, which installs softhsm2, opensc and gcc (.ci/install-deps)", what)
	}
	return found
}

// SoftHSMModule returns the path of libsofthsm2.so.
func SoftHSMModule(t testing.TB) string {
	t.Helper()
	return need(t, "libsofthsm2.so (softhsm2)", firstExisting(SoftHSMCandidates))
}

// SpyModule returns the path of OpenSC's pkcs11-spy.so.
func SpyModule(t testing.TB) string {
	t.Helper()
	return need(t, "pkcs11-spy.so (opensc)", firstExisting(SpyCandidates))
}

// Tool returns the path of a program on PATH.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, _ := exec.LookPath(name)
	return need(t, name, p)
}

// HSM is a private SoftHSM2 installation: its configuration and token
// directory live in a temporary directory, and SOFTHSM2_CONF points at it
// for the rest of the test (child processes inherit it).
type HSM struct {
	Dir    string // temporary directory
	Conf   string // softhsm2.conf
	Module string // libsofthsm2.so
}

// NewHSM creates an empty SoftHSM2 token directory and sets SOFTHSM2_CONF.
func NewHSM(t testing.TB) *HSM {
	t.Helper()
	h := &HSM{Dir: t.TempDir(), Module: SoftHSMModule(t)}
	Tool(t, "softhsm2-util")
	tokens := filepath.Join(h.Dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	h.Conf = filepath.Join(h.Dir, "softhsm2.conf")
	conf := fmt.Sprintf("directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n", tokens)
	if err := os.WriteFile(h.Conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", h.Conf)
	return h
}

// InitToken initialises a new token in the free slot with softhsm2-util.
func (h *HSM) InitToken(t testing.TB, label, pin, soPIN string) {
	t.Helper()
	cmd := exec.Command(Tool(t, "softhsm2-util"), "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", soPIN)
	cmd.Env = append(os.Environ(), "SOFTHSM2_CONF="+h.Conf)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("softhsm2-util --init-token %q: %v\n%s", label, err, out)
	}
}

// session opens the module, finds the token by label (after init it moves
// to a new slot ID) and runs fn in a read-write session.
func (h *HSM) session(t testing.TB, label string, fn func(p *pkcs11.Ctx, sh pkcs11.SessionHandle)) {
	t.Helper()
	p := pkcs11.New(h.Module)
	if p == nil {
		t.Fatalf("cannot load %s", h.Module)
	}
	defer p.Destroy()
	if err := p.Initialize(); err != nil {
		t.Fatalf("C_Initialize: %v", err)
	}
	defer p.Finalize()
	slots, err := p.GetSlotList(true)
	if err != nil {
		t.Fatalf("C_GetSlotList: %v", err)
	}
	for _, id := range slots {
		ti, err := p.GetTokenInfo(id)
		if err != nil || strings.TrimRight(ti.Label, " ") != label {
			continue
		}
		sh, err := p.OpenSession(id, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
		if err != nil {
			t.Fatalf("C_OpenSession: %v", err)
		}
		defer p.CloseSession(sh)
		fn(p, sh)
		return
	}
	t.Fatalf("no token labelled %q", label)
}

// AddCert stores a public X.509 certificate object on the token, logging
// in with the user PIN.
func (h *HSM) AddCert(t testing.TB, tokenLabel, pin, certLabel string, id []byte, der []byte) {
	t.Helper()
	h.session(t, tokenLabel, func(p *pkcs11.Ctx, sh pkcs11.SessionHandle) {
		if err := p.Login(sh, pkcs11.CKU_USER, pin); err != nil {
			t.Fatalf("C_Login: %v", err)
		}
		defer p.Logout(sh)
		attrs := []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
			pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
			pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, certLabel),
			pkcs11.NewAttribute(pkcs11.CKA_ID, id),
			pkcs11.NewAttribute(pkcs11.CKA_VALUE, der),
		}
		// CKA_SUBJECT is required; a value that does not parse (a test of
		// unparseable certificates) gets a placeholder.
		subject := []byte{0x30, 0x00}
		if c, err := x509.ParseCertificate(der); err == nil {
			subject = c.RawSubject
			attrs = append(attrs, pkcs11.NewAttribute(pkcs11.CKA_ISSUER, c.RawIssuer))
		}
		attrs = append(attrs, pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, subject))
		if _, err := p.CreateObject(sh, attrs); err != nil {
			t.Fatalf("C_CreateObject %q: %v", certLabel, err)
		}
	})
}

// WrongLogin tries a wrong PIN (userType pkcs11.CKU_USER) or SO PIN
// (pkcs11.CKU_SO): SoftHSM2 then sets the COUNT_LOW flag, a real state.
func (h *HSM) WrongLogin(t testing.TB, tokenLabel string, userType uint) {
	t.Helper()
	h.session(t, tokenLabel, func(p *pkcs11.Ctx, sh pkcs11.SessionHandle) {
		err := p.Login(sh, userType, "wrong-pin-0000")
		if e, ok := err.(pkcs11.Error); !ok || e != pkcs11.CKR_PIN_INCORRECT {
			t.Fatalf("C_Login with a wrong PIN: got %v, want CKR_PIN_INCORRECT", err)
		}
	})
}

var build struct {
	once sync.Once
	dir  string
	err  error
}

// buildDir is one temporary directory per test binary for what it builds.
func buildDir() (string, error) {
	build.once.Do(func() { build.dir, build.err = os.MkdirTemp("", "sportello-test-") })
	return build.dir, build.err
}

// Main runs the tests and removes what Sportello and FaultModule built.
// It points PCSCLITE_CSOCK_NAME (read by libpcsclite, so by sportello's
// PC/SC reading and by OpenSC) at a socket that does not exist, so that
// no test reaches the system's pcscd: the smart-card service is "not
// running" unless a test starts its own (package vpcdtest) and points
// its processes there.
func Main(m interface{ Run() int }) int {
	if dir, err := buildDir(); err == nil {
		os.Setenv("PCSCLITE_CSOCK_NAME", filepath.Join(dir, "no-pcscd.comm"))
	}
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	return code
}

var (
	binOnce, faultOnce sync.Once
	binPath, faultPath string
	binErr, faultErr   error
)

// Sportello builds the sportello binary once per test binary and returns
// its path.
func Sportello(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := buildDir()
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "sportello")
		binErr = run("go", "build", "-o", binPath, "github.com/sportello/sportello/cmd/sportello")
	})
	if binErr != nil {
		t.Fatalf("building sportello: %v", binErr)
	}
	return binPath
}

// FaultModule builds testdata/faultmodule/fault.c with gcc once per test
// binary and returns the path of the shared object.
func FaultModule(t testing.TB) string {
	t.Helper()
	Tool(t, "gcc")
	faultOnce.Do(func() {
		dir, err := buildDir()
		if err != nil {
			faultErr = err
			return
		}
		root, err := output("go", "list", "-m", "-f", "{{.Dir}}")
		if err != nil {
			faultErr = err
			return
		}
		inc, err := output("go", "list", "-m", "-f", "{{.Dir}}", "github.com/miekg/pkcs11")
		if err != nil {
			faultErr = err
			return
		}
		faultPath = filepath.Join(dir, "fault.so")
		faultErr = run("gcc", "-Wall", "-shared", "-fPIC", "-I"+inc, "-o", faultPath,
			filepath.Join(root, "testdata", "faultmodule", "fault.c"), "-ldl")
	})
	if faultErr != nil {
		t.Fatalf("building the fault module: %v", faultErr)
	}
	return faultPath
}

func run(name string, args ...string) error {
	_, err := output(name, args...)
	return err
}

func output(name string, args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}
