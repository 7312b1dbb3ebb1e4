package station

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"time"
)

// CertStores is the certificate stores that browsers use, besides
// Firefox's own profiles (see Browsers): on Windows the current user's
// "MY" store, where SafeDive's "Importa" puts the device's certificates
// (INST-7) and where Edge and Chrome look; on Linux the shared NSS
// database ~/.pki/nssdb of Chrome and Chromium, which finds the device
// through the PKCS#11 modules registered in it.
type CertStores struct {
	Windows *WindowsStore `json:"windows,omitempty"`
	NSS     []NSSDB       `json:"nss,omitempty"`
	// Note says why a store could not be looked at on this system, in
	// Italian (macOS's Keychain, for one).
	Note string `json:"note,omitempty"`
}

// WindowsStore is a system certificate store of the current user.
type WindowsStore struct {
	Store        string      `json:"store"` // "MY"
	Certificates []StoreCert `json:"certificates"`
	Truncated    bool        `json:"truncated,omitempty"` // more than maxStoreCerts
	Error        string      `json:"error,omitempty"`     // could not be opened, in Italian
}

// StoreCert is one certificate of a store, enough to match it by SHA-256
// with the device's and to tell a user which one it is.
type StoreCert struct {
	SHA256   string    `json:"sha256"`
	Subject  string    `json:"subject,omitempty"` // subject CN
	Issuer   string    `json:"issuer,omitempty"`  // issuer CN
	NotAfter time.Time `json:"not_after,omitzero"`
	// HasKey: the certificate is linked to a private key (it carries key
	// provider information), as an import from a device is; without it a
	// browser cannot use it to log in.
	HasKey   bool   `json:"has_key"`
	Provider string `json:"provider,omitempty"` // the key's provider (CSP or KSP) name
}

// NSSDB is one NSS database: its PKCS#11 modules as listed in pkcs11.txt.
type NSSDB struct {
	Path    string      `json:"path"`   // the directory
	Format  string      `json:"format"` // "sql" (pkcs11.txt), "dbm" (old secmod.db: not read), "none"
	Modules []NSSModule `json:"modules"`
	Error   string      `json:"error,omitempty"` // unreadable, in Italian
}

// NSSModule is a PKCS#11 module registered in an NSS database. The
// internal modules (library empty, or NSS's own libraries) are kept too.
type NSSModule struct {
	Name    string `json:"name"`
	Library string `json:"library"`
}

// maxStoreCerts bounds the certificates read from one store.
const maxStoreCerts = 2000

// maxCertSize bounds one certificate's DER.
const maxCertSize = 64 << 10

// storeCert describes a certificate from its DER (a value that does not
// parse keeps only its fingerprint).
func storeCert(der []byte) StoreCert {
	sum := sha256.Sum256(der)
	c := StoreCert{SHA256: hex.EncodeToString(sum[:])}
	if x, err := x509.ParseCertificate(der); err == nil {
		c.Subject = clip(x.Subject.CommonName)
		c.Issuer = clip(x.Issuer.CommonName)
		c.NotAfter = x.NotAfter.UTC()
	}
	return c
}

func init() { gatherers = append(gatherers, gatherCertStores) }

func gatherCertStores(ctx context.Context, o Options) func(*Facts) {
	c := &CertStores{}
	readCertStores(ctx, o, c)
	return func(f *Facts) { f.CertStores = c }
}
