//go:build linux

package main

// What `make dist` ships for Windows: an exe that needs no DLL beyond the
// system's, and the Authenticode signing path (.ci/sign-exe, which make
// dist runs when SIGN_CERT and SIGN_KEY are given), exercised with a
// throwaway self-signed certificate and checked with osslsigncode verify.

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"debug/pe"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/winetest"
)

// systemDLLs are DLLs every Windows (7 and later) has in System32.
var systemDLLs = map[string]bool{
	"kernel32.dll": true, "msvcrt.dll": true, "advapi32.dll": true, "ws2_32.dll": true, "winmm.dll": true,
	"ntdll.dll": true, "user32.dll": true, "shell32.dll": true, "ole32.dll": true, "crypt32.dll": true,
}

// TestWindowsExeNeedsNoDLL: the cross-built sportello.exe imports only
// system DLLs (the same check as `x86_64-w64-mingw32-objdump -p`): no
// libgcc, libwinpthread or libstdc++ DLL to ship beside it.
func TestWindowsExeNeedsNoDLL(t *testing.T) {
	f, err := pe.Open(winetest.Sportello(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// (ImportedLibraries is not implemented in debug/pe; every imported
	// symbol names its DLL, "Name:dll".)
	syms, err := f.ImportedSymbols()
	if err != nil || len(syms) == 0 {
		t.Fatalf("imports: %v %v", syms, err)
	}
	libs := map[string]bool{}
	for _, s := range syms {
		if _, dll, ok := strings.Cut(s, ":"); ok {
			libs[dll] = true
		}
	}
	if !libs["KERNEL32.dll"] && !libs["kernel32.dll"] {
		t.Errorf("no kernel32 among the imports %v: the check reads nothing", libs)
	}
	for l := range libs {
		if !systemDLLs[strings.ToLower(l)] {
			t.Errorf("sportello.exe imports %s, which Windows does not ship", l)
		}
	}
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("machine %#x", f.Machine)
	}
}

// throwawayCert writes a self-signed code-signing certificate and its key
// (PEM), valid for a day.
func throwawayCert(t *testing.T, dir string) (certFile, keyFile string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "Sportello prova firma del codice", Organization: []string{"Prova"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600)
	return certFile, keyFile
}

func TestAuthenticodeSigning(t *testing.T) {
	if _, err := exec.LookPath("osslsigncode"); err != nil {
		t.Fatal("osslsigncode is missing: run `make test`, whose deps step installs it")
	}
	root, err := winetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key := throwawayCert(t, dir)
	// A small exe signs in a moment; the path is the one make dist takes.
	exe := filepath.Join(dir, "prova.exe")
	data, err := os.ReadFile(winetest.BuildExe(t, "conmode.exe", []string{"testdata/wine/conmode.c"}))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(exe, data, 0o755)
	unsigned := filepath.Join(dir, "non-firmato.exe")
	os.WriteFile(unsigned, data, 0o755)

	verify := func(file string) (string, error) {
		var out bytes.Buffer
		cmd := exec.Command("osslsigncode", "verify", "-CAfile", cert, "-in", file)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	if out, err := verify(unsigned); err == nil {
		t.Fatalf("an unsigned exe verifies:\n%s", out)
	}

	sign := exec.Command(filepath.Join(root, ".ci", "sign-exe"), exe)
	sign.Env = append(os.Environ(), "SIGN_CERT="+cert, "SIGN_KEY="+key)
	if out, err := sign.CombinedOutput(); err != nil {
		t.Fatalf("sign-exe: %v\n%s", err, out)
	}
	out, err := verify(exe)
	if err != nil || !strings.Contains(out, "Signature verification: ok") || !strings.Contains(out, "Sportello prova firma del codice") {
		t.Fatalf("osslsigncode verify: %v\n%s", err, out)
	}
	if _, err := os.Stat(exe + ".signing"); !os.IsNotExist(err) {
		t.Error("sign-exe left its temporary file")
	}

	// A wrong key is refused loudly, and the file is left as it was.
	_, otherKey := throwawayCert(t, t.TempDir())
	before, _ := os.ReadFile(unsigned)
	bad := exec.Command(filepath.Join(root, ".ci", "sign-exe"), unsigned)
	bad.Env = append(os.Environ(), "SIGN_CERT="+cert, "SIGN_KEY="+otherKey)
	if out, err := bad.CombinedOutput(); err == nil {
		t.Errorf("signing with a key that does not match the certificate succeeded:\n%s", out)
	}
	if after, _ := os.ReadFile(unsigned); !bytes.Equal(before, after) {
		t.Error("a failed signing changed the file")
	}
}
