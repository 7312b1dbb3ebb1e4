//go:build windows

// Command wingather is the Windows half of the station tests, cross-built
// and run under Wine by soft_wine_test.go: it prints what station.Gather
// reads on the machine, and adds or removes certificates in the current
// user's "MY" store the way SafeDive's "Importa" leaves them (with key
// provider information), through crypt32.
//
//	wingather gather              JSON of station.Gather on stdout
//	wingather addcert FILE [PROV] add the DER certificate FILE; PROV: link it to a key of that provider
//	wingather delcert SHA256      remove the certificate with that fingerprint
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/sportello/sportello/internal/station"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: wingather gather | addcert FILE [PROVIDER] | delcert SHA256")
	}
	var err error
	switch os.Args[1] {
	case "gather":
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		home, _ := os.UserHomeDir()
		f := station.Gather(ctx, station.Options{GOOS: "windows", Home: home})
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(f)
	case "addcert":
		prov := ""
		if len(os.Args) > 3 {
			prov = os.Args[3]
		}
		err = addCert(os.Args[2], prov)
	case "delcert":
		err = delCert(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "wingather:", msg)
	os.Exit(1)
}

func openMY() (windows.Handle, error) {
	name, _ := windows.UTF16PtrFromString("MY")
	return windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM, 0, 0, windows.CERT_SYSTEM_STORE_CURRENT_USER, uintptr(unsafe.Pointer(name)))
}

var (
	crypt32         = windows.NewLazySystemDLL("crypt32.dll")
	procSetProperty = crypt32.NewProc("CertSetCertificateContextProperty")
	procControl     = crypt32.NewProc("CertControlStore")
)

const certStoreCtrlCommit = 3 // CERT_STORE_CTRL_COMMIT

type keyProvInfo struct {
	ContainerName *uint16
	ProvName      *uint16
	ProvType      uint32
	Flags         uint32
	ProvParam     uint32
	ProvParams    uintptr
	KeySpec       uint32
}

func addCert(path, provider string) error {
	der, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	store, err := openMY()
	if err != nil {
		return fmt.Errorf("CertOpenStore: %w", err)
	}
	defer windows.CertCloseStore(store, 0)
	cc, err := windows.CertCreateCertificateContext(windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING, &der[0], uint32(len(der)))
	if err != nil {
		return fmt.Errorf("CertCreateCertificateContext: %w", err)
	}
	defer windows.CertFreeCertificateContext(cc)
	if provider != "" {
		container, _ := windows.UTF16PtrFromString("sportello-test")
		prov, _ := windows.UTF16PtrFromString(provider)
		info := keyProvInfo{ContainerName: container, ProvName: prov, ProvType: 1, KeySpec: 2} // PROV_RSA_FULL, AT_SIGNATURE
		if r, _, e := procSetProperty.Call(uintptr(unsafe.Pointer(cc)), 2, 0, uintptr(unsafe.Pointer(&info))); r == 0 {
			return fmt.Errorf("CertSetCertificateContextProperty: %v", e)
		}
	}
	if err := windows.CertAddCertificateContextToStore(store, cc, windows.CERT_STORE_ADD_REPLACE_EXISTING, nil); err != nil {
		return fmt.Errorf("CertAddCertificateContextToStore: %w", err)
	}
	return nil
}

func delCert(fp string) error {
	store, err := openMY()
	if err != nil {
		return fmt.Errorf("CertOpenStore: %w", err)
	}
	defer windows.CertCloseStore(store, 0)
	var prev *windows.CertContext
	for {
		cc, err := windows.CertEnumCertificatesInStore(store, prev)
		if err != nil || cc == nil {
			return fmt.Errorf("no certificate %s in MY", fp)
		}
		prev = cc
		der := unsafe.Slice(cc.EncodedCert, cc.Length)
		sum := sha256.Sum256(der)
		if strings.EqualFold(hex.EncodeToString(sum[:]), fp) {
			// The enumerated context itself: CertDeleteCertificateFromStore
			// frees it. Then commit: Wine's registry-backed store writes
			// the deletion only on a commit or when it is freed.
			if err := windows.CertDeleteCertificateFromStore(cc); err != nil {
				return err
			}
			if r, _, e := procControl.Call(uintptr(store), 0, certStoreCtrlCommit, 0); r == 0 {
				return fmt.Errorf("CertControlStore(COMMIT): %v", e)
			}
			return nil
		}
	}
}
