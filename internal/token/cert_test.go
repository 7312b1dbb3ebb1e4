package token_test

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

var now = time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC)

func parse(t *testing.T, spec tokentest.CertSpec) token.Certificate {
	t.Helper()
	return token.ParseCertificate("c", []byte{0xca, 0xfe}, tokentest.NewCert(t, spec), now, 30)
}

func TestClassification(t *testing.T) {
	sig := parse(t, tokentest.CertSpec{Kind: tokentest.Signature})
	if sig.Usage != token.UsageSignature || sig.ID != "cafe" {
		t.Errorf("signature: %+v", sig)
	}
	if strings.Join(sig.KeyUsage, ",") != "nonRepudiation" || len(sig.QCStatements) != 2 || sig.QCStatements[0] != token.OIDQcCompliance {
		t.Errorf("signature extensions: ku %v qc %v", sig.KeyUsage, sig.QCStatements)
	}
	if strings.Join(sig.Policies, ",") != "0.4.0.194112.1.2,1.3.76.16.6" {
		t.Errorf("policies %v", sig.Policies)
	}
	cns := parse(t, tokentest.CertSpec{Kind: tokentest.CNS})
	if cns.Usage != token.UsageAuthentication || strings.Join(cns.ExtKeyUsage, ",") != "clientAuth" {
		t.Errorf("CNS: %+v", cns)
	}
	if plain := parse(t, tokentest.CertSpec{Kind: tokentest.Plain}); plain.Usage != token.UsageOther {
		t.Errorf("TLS certificate classified %q", plain.Usage)
	}
	bad := token.ParseCertificate("rotto", []byte{1}, []byte{0x30, 0x03, 0x02, 0x01, 0x01}, now, 30)
	if bad.ParseError == "" || bad.Usage != token.UsageOther || bad.Label != "rotto" || bad.SHA256 == "" || bad.Status != "" {
		t.Errorf("unparseable: %+v", bad)
	}
	if empty := token.ParseCertificate("vuoto", nil, nil, now, 30); empty.ParseError == "" {
		t.Errorf("empty value: %+v", empty)
	}
}

func TestValidity(t *testing.T) {
	cases := []struct {
		notBefore, notAfter time.Time
		status              token.CertStatus
		days                int
	}{
		{now.AddDate(-1, 0, 0), now.Add(400*24*time.Hour + time.Minute), token.CertValid, 400},
		{now.AddDate(-1, 0, 0), now.Add(31 * 24 * time.Hour), token.CertValid, 31},
		{now.AddDate(-1, 0, 0), now.Add(30 * 24 * time.Hour), token.CertExpiring, 30},
		{now.AddDate(-1, 0, 0), now.Add(12*24*time.Hour + time.Hour), token.CertExpiring, 12},
		{now.AddDate(-1, 0, 0), now.Add(time.Hour), token.CertExpiring, 0},
		{now.AddDate(-1, 0, 0), now.Add(-time.Hour), token.CertExpired, -1},
		{now.AddDate(-3, 0, 0), now.Add(-10 * 24 * time.Hour), token.CertExpired, -10},
		{now.Add(24 * time.Hour), now.AddDate(2, 0, 0), token.CertNotYetValid, 731}, // 2028 is a leap year,
	}
	for _, c := range cases {
		got := parse(t, tokentest.CertSpec{Kind: tokentest.Signature, NotBefore: c.notBefore, NotAfter: c.notAfter})
		if got.Status != c.status || got.DaysLeft == nil || *got.DaysLeft != c.days {
			t.Errorf("not_after %v: status %q days %v, want %q %d", c.notAfter, got.Status, *got.DaysLeft, c.status, c.days)
		}
		if !got.NotAfter.Equal(c.notAfter.Truncate(time.Second)) || got.NotAfter.Location() != time.UTC {
			t.Errorf("not_after %v, want %v UTC", got.NotAfter, c.notAfter)
		}
	}
}

func TestItalianSubject(t *testing.T) {
	name := func(cn, serial string, extra ...pkix.AttributeTypeAndValue) pkix.Name {
		return pkix.Name{CommonName: cn, SerialNumber: serial, Names: append(extra,
			pkix.AttributeTypeAndValue{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: cn},
			pkix.AttributeTypeAndValue{Type: asn1.ObjectIdentifier{2, 5, 4, 5}, Value: serial})}
	}
	given := pkix.AttributeTypeAndValue{Type: asn1.ObjectIdentifier{2, 5, 4, 42}, Value: "ANNA MARIA"}
	sur := pkix.AttributeTypeAndValue{Type: asn1.ObjectIdentifier{2, 5, 4, 4}, Value: "DE LUCA"}
	cases := []struct {
		n                pkix.Name
		holder, cf, card string
	}{
		{name("ANNA MARIA DE LUCA", "TINIT-DLCNMR75C41F205X", given, sur), "ANNA MARIA DE LUCA", "DLCNMR75C41F205X", ""},
		{name("DE LUCA ANNA MARIA", "IT:DLCNMR75C41F205X"), "DE LUCA ANNA MARIA", "DLCNMR75C41F205X", ""},
		{name("X", "tinit-dlcnmr75c41f205x"), "X", "DLCNMR75C41F205X", ""},
		// Omocodia: digits replaced by letters.
		{name("X", "TINIT-DLCNMRTRC41F2LRX"), "X", "DLCNMRTRC41F2LRX", ""},
		// A partita IVA as serialNumber.
		{name("ACME SPA", "TINIT-01234567890"), "ACME SPA", "01234567890", ""},
		// CNS: the CN is not a name.
		{name("DLCNMR75C41F205X/7420000000012345.X8KOPWSOPmyZ4U7lOfnWYw0uL5I=", "", given, sur), "ANNA MARIA DE LUCA", "DLCNMR75C41F205X", "7420000000012345"},
		{name("DLCNMR75C41F205X/7420000000012345.abc", ""), "", "DLCNMR75C41F205X", "7420000000012345"},
		// Not a codice fiscale: no CF.
		{name("MARIO ROSSI", "TINIT-NONUNCODICE"), "MARIO ROSSI", "", ""},
		{name("MARIO ROSSI", "1234567"), "MARIO ROSSI", "", ""},
	}
	for _, c := range cases {
		h, cf, card := token.ItalianSubject(c.n)
		if h != c.holder || cf != c.cf || card != c.card {
			t.Errorf("%q / %q: got (%q, %q, %q), want (%q, %q, %q)", c.n.CommonName, c.n.SerialNumber, h, cf, card, c.holder, c.cf, c.card)
		}
	}
}

func TestFormatDN(t *testing.T) {
	c := parse(t, tokentest.CertSpec{Kind: tokentest.Signature, Given: "MARIO", Surname: "ROSSI, JR"})
	// Most specific first: the reverse of the DER order (C, CN,
	// serialNumber, then givenName and surname as Go writes them).
	want := `SN=ROSSI\, JR, GN=MARIO, serialNumber=TINIT-RSSMRA80A01H501U, CN=MARIO ROSSI\, JR, C=IT`
	if c.Subject != want {
		t.Errorf("subject\n got %q\nwant %q", c.Subject, want)
	}
	if c.Issuer != "CN=Prova Qualified CA, O=Prova Certificatore S.p.A., C=IT" {
		t.Errorf("issuer %q", c.Issuer)
	}
	if got := token.FormatDN([]byte{0xff}); got != "#ff" {
		t.Errorf("garbage DN: %q", got)
	}
}
