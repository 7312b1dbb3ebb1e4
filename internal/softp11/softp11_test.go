package softp11

import (
	"debug/elf"
	"debug/pe"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/pkcs11"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// TestBuilds: the four images have the architecture they claim.
func TestBuilds(t *testing.T) {
	elfClass := func(path string) (elf.Class, elf.Machine) {
		f, err := elf.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return f.Class, f.Machine
	}
	peMachine := func(path string) uint16 {
		f, err := pe.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if f.Characteristics&pe.IMAGE_FILE_DLL == 0 {
			t.Errorf("%s is not a DLL", path)
		}
		return f.Machine
	}
	if c, m := elfClass(Linux(t)); c != elf.ELFCLASS64 || m != elf.EM_X86_64 {
		t.Errorf("softp11.so: %v %v", c, m)
	}
	if c, m := elfClass(Linux32(t)); c != elf.ELFCLASS32 || m != elf.EM_386 {
		t.Errorf("softp11-32.so: %v %v", c, m)
	}
	if m := peMachine(Windows(t)); m != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("softp11.dll: machine %#x", m)
	}
	if m := peMachine(Windows32(t)); m != pe.IMAGE_FILE_MACHINE_I386 {
		t.Errorf("softp11-32.dll: machine %#x", m)
	}
}

// TestServesTheDescription loads the Linux build in process with the
// same binding sportello uses and reads back what the description says.
func TestServesTheDescription(t *testing.T) {
	dir := t.TempDir()
	seven := uint(7)
	conf := Config{
		Manufacturer: "Prova S.p.A.",
		Slots: []Slot{
			{Token: &Token{Label: "Firma Prova", Serial: "SN123", Manufacturer: "Acme", Model: "M1", Flags: FlagsReady | FlagUserPINFinalTry,
				Certs: []Cert{{Label: "firma", ID: []byte{1, 2}, DER: []byte{0x30, 0x03, 0x02, 0x01, 0x05}}}}},
			{ID: &seven},
		},
	}
	logFile := filepath.Join(dir, "calls.log")
	t.Setenv(EnvConf, conf.Write(t, dir))
	t.Setenv(EnvLog, logFile)
	p := pkcs11.New(Linux(t))
	if p == nil {
		t.Fatal("cannot load softp11.so")
	}
	defer p.Destroy()
	if err := p.Initialize(); err != nil {
		t.Fatal(err)
	}
	defer p.Finalize()
	info, err := p.GetInfo()
	if err != nil || strings.TrimRight(info.ManufacturerID, " ") != "Prova S.p.A." {
		t.Fatalf("C_GetInfo: %+v %v", info, err)
	}
	all, err := p.GetSlotList(false)
	if err != nil || len(all) != 2 || all[1] != 7 {
		t.Fatalf("slots %v %v", all, err)
	}
	present, _ := p.GetSlotList(true)
	if len(present) != 1 || present[0] != 0 {
		t.Fatalf("slots with a token %v", present)
	}
	ti, err := p.GetTokenInfo(0)
	if err != nil || strings.TrimRight(ti.Label, " ") != "Firma Prova" || strings.TrimRight(ti.SerialNumber, " ") != "SN123" ||
		ti.Flags != FlagsReady|FlagUserPINFinalTry {
		t.Fatalf("C_GetTokenInfo: %+v %v", ti, err)
	}
	if _, err := p.GetTokenInfo(7); err == nil || err.(pkcs11.Error) != pkcs11.CKR_TOKEN_NOT_PRESENT {
		t.Errorf("empty slot: %v", err)
	}
	if _, err := p.OpenSession(0, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION); err == nil {
		t.Error("a read-write session was opened")
	}
	sh, err := p.OpenSession(0, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.FindObjectsInit(sh, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE)}); err != nil {
		t.Fatal(err)
	}
	hs, _, err := p.FindObjects(sh, 10)
	if err != nil || len(hs) != 1 {
		t.Fatalf("objects %v %v", hs, err)
	}
	p.FindObjectsFinal(sh)
	attrs, err := p.GetAttributeValue(sh, hs[0], []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_LABEL, nil), pkcs11.NewAttribute(pkcs11.CKA_ID, nil), pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
	if err != nil || string(attrs[0].Value) != "firma" || string(attrs[1].Value) != "\x01\x02" || len(attrs[2].Value) != 5 {
		t.Fatalf("attributes %v %v", attrs, err)
	}
	if err := p.Login(sh, pkcs11.CKU_USER, "1234"); err == nil || err.(pkcs11.Error) != pkcs11.CKR_FUNCTION_NOT_SUPPORTED {
		t.Errorf("C_Login: %v", err)
	}
	log, _ := os.ReadFile(logFile)
	for _, want := range []string{"C_Initialize\n", "C_GetTokenInfo\n", "read-write session requested\n", "C_Login\n"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the call log lacks %q:\n%s", want, log)
		}
	}
}

func TestEnvConfFor(t *testing.T) {
	for in, want := range map[string]string{
		"bit4xpki.dll":                      "SOFTP11_CONF_BIT4XPKI",
		`C:\Windows\System32\SI_PKCS11.dll`: "SOFTP11_CONF_SI_PKCS11",
		"/usr/lib/libcie-pkcs11.so":         "SOFTP11_CONF_LIBCIE_PKCS11",
	} {
		if got := EnvConfFor(in); got != want {
			t.Errorf("EnvConfFor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBadDescription(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.conf")
	os.WriteFile(bad, []byte("token.label senza slot\n"), 0o600)
	t.Setenv(EnvConf, bad)
	p := pkcs11.New(Linux(t))
	if p == nil {
		t.Fatal("cannot load softp11.so")
	}
	defer p.Destroy()
	if err := p.Initialize(); err == nil || err.(pkcs11.Error) != pkcs11.CKR_GENERAL_ERROR {
		t.Errorf("C_Initialize with a broken description: %v", err)
	}
}
