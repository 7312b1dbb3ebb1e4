package tokentest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"sync"
	"testing"
	"time"
)

// Kind is the shape of a test certificate.
type Kind int

// Certificate shapes.
const (
	// Signature is like an Italian qualified signature certificate:
	// nonRepudiation only, qcStatements (QcCompliance, QcSSCD, QcType
	// esign), policies, givenName/surname and serialNumber TINIT-<CF>.
	Signature Kind = iota
	// CNS is like a CNS authentication certificate: digitalSignature,
	// clientAuth, CNS policy and CN "<CF>/<card number>.<hash>".
	CNS
	// Plain is a TLS-like certificate: keyEncipherment and serverAuth.
	Plain
)

// CertSpec describes a test certificate. Zero values get sensible
// defaults: holder MARIO ROSSI, codice fiscale RSSMRA80A01H501U, valid
// from a year ago for two years.
type CertSpec struct {
	Kind      Kind
	Given     string
	Surname   string
	CF        string
	Card      string // CNS card number
	CN        string // overrides the usual CN
	NoName    bool   // no givenName and surname in the subject (a CNS CN names nobody)
	NotBefore time.Time
	NotAfter  time.Time
	Serial    int64
}

var (
	oidGivenName = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname   = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidQCStmts   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 3}
)

var ca struct {
	once sync.Once
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
	err  error
}

func issuer() (*ecdsa.PrivateKey, *x509.Certificate, error) {
	ca.once.Do(func() {
		ca.key, ca.err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if ca.err != nil {
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(1),
			Subject:               pkix.Name{Country: []string{"IT"}, Organization: []string{"Prova Certificatore S.p.A."}, CommonName: "Prova Qualified CA"},
			NotBefore:             time.Now().AddDate(-5, 0, 0),
			NotAfter:              time.Now().AddDate(10, 0, 0),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ca.key.PublicKey, ca.key)
		if err != nil {
			ca.err = err
			return
		}
		ca.cert, ca.err = x509.ParseCertificate(der)
	})
	return ca.key, ca.cert, ca.err
}

// NewCert makes a DER certificate for spec, signed by a test CA.
func NewCert(t testing.TB, spec CertSpec) []byte {
	t.Helper()
	if spec.Given == "" {
		spec.Given = "MARIO"
	}
	if spec.Surname == "" {
		spec.Surname = "ROSSI"
	}
	if spec.CF == "" {
		spec.CF = "RSSMRA80A01H501U"
	}
	if spec.Card == "" {
		spec.Card = "7420000000012345"
	}
	if spec.NotBefore.IsZero() {
		spec.NotBefore = time.Now().AddDate(-1, 0, 0)
	}
	if spec.NotAfter.IsZero() {
		spec.NotAfter = time.Now().AddDate(1, 0, 0)
	}
	if spec.Serial == 0 {
		spec.Serial = time.Now().UnixNano()
	}
	caKey, caCert, err := issuer()
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	names := []pkix.AttributeTypeAndValue{
		{Type: oidGivenName, Value: spec.Given},
		{Type: oidSurname, Value: spec.Surname},
	}
	if spec.NoName {
		names = nil
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(spec.Serial),
		NotBefore:    spec.NotBefore,
		NotAfter:     spec.NotAfter,
		Subject:      pkix.Name{Country: []string{"IT"}, ExtraNames: names},
	}
	switch spec.Kind {
	case Signature:
		tmpl.Subject.CommonName = spec.Given + " " + spec.Surname
		tmpl.Subject.SerialNumber = "TINIT-" + spec.CF
		tmpl.KeyUsage = x509.KeyUsageContentCommitment
		tmpl.Policies = []x509.OID{mustOID(t, "0.4.0.194112.1.2"), mustOID(t, "1.3.76.16.6")}
		qc, err := asn1.Marshal([]struct{ ID asn1.ObjectIdentifier }{
			{asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 1}}, // QcCompliance
			{asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 4}}, // QcSSCD
		})
		if err != nil {
			t.Fatal(err)
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: oidQCStmts, Value: qc}}
	case CNS:
		tmpl.Subject.CommonName = spec.CF + "/" + spec.Card + ".X8KOPWSOPmyZ4U7lOfnWYw0uL5I="
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		tmpl.Policies = []x509.OID{mustOID(t, "1.3.76.16.2.1")}
	case Plain:
		tmpl.Subject.CommonName = "www.example.it"
		tmpl.KeyUsage = x509.KeyUsageKeyEncipherment
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	if spec.CN != "" {
		tmpl.Subject.CommonName = spec.CN
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func mustOID(t testing.TB, s string) x509.OID {
	t.Helper()
	o, err := x509.ParseOID(s)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
