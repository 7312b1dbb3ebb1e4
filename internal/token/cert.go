package token

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// CertStatus is a certificate's validity on the day of the probe.
type CertStatus string

// Certificate statuses.
const (
	CertValid       CertStatus = "valid"
	CertExpiring    CertStatus = "expiring" // expires within the warning window
	CertExpired     CertStatus = "expired"
	CertNotYetValid CertStatus = "not_yet_valid"
)

// Italian is the status in the words a user reads.
func (s CertStatus) Italian() string {
	switch s {
	case CertValid:
		return "valido"
	case CertExpiring:
		return "in scadenza"
	case CertExpired:
		return "scaduto"
	case CertNotYetValid:
		return "non ancora valido"
	}
	return string(s)
}

// Usage is what a certificate is for.
type Usage string

// Certificate usages.
const (
	UsageSignature      Usage = "signature"      // qualified signature: nonRepudiation, QC statements
	UsageAuthentication Usage = "authentication" // CNS: digitalSignature + clientAuth
	UsageOther          Usage = "other"
)

// Certificate is one CKO_CERTIFICATE object. When the value cannot be
// parsed, ParseError says why and only Label and ID are known.
type Certificate struct {
	Label         string     `json:"label"`
	ID            string     `json:"id"` // CKA_ID in hex
	Subject       string     `json:"subject,omitempty"`
	Issuer        string     `json:"issuer,omitempty"`
	Serial        string     `json:"serial,omitempty"` // hex
	NotBefore     time.Time  `json:"not_before,omitzero"`
	NotAfter      time.Time  `json:"not_after,omitzero"`
	DaysLeft      *int       `json:"days_left,omitempty"` // whole days, negative once expired
	Status        CertStatus `json:"status,omitempty"`
	Usage         Usage      `json:"usage"`
	Holder        string     `json:"holder,omitempty"`
	CodiceFiscale string     `json:"codice_fiscale,omitempty"`
	KeyUsage      []string   `json:"key_usage,omitempty"`
	ExtKeyUsage   []string   `json:"ext_key_usage,omitempty"`
	QCStatements  []string   `json:"qc_statements,omitempty"`
	Policies      []string   `json:"policies,omitempty"`
	SHA256        string     `json:"sha256,omitempty"`      // fingerprint of the DER value
	CardNumber    string     `json:"card_number,omitempty"` // CNS: the card number in the CN
	// ParseError says, in Italian, why the value is not known; Unreadable
	// marks a value the driver did not return or that is not a
	// certificate (an error, an absurd length, garbage), as opposed to a
	// certificate of another type (not X.509). Detail is the technical
	// reason (a parser's message), for the JSON report only.
	ParseError string `json:"parse_error,omitempty"`
	Unreadable bool   `json:"unreadable,omitempty"`
	Detail     string `json:"detail,omitempty"`
}

// OIDs that classify Italian certificates (see the reference notes).
const (
	oidQCStatements = "1.3.6.1.5.5.7.1.3"
	OIDQcCompliance = "0.4.0.1862.1.1"
	OIDQcSSCD       = "0.4.0.1862.1.4"
	OIDQcType       = "0.4.0.1862.1.6"
	OIDPolicyCNS    = "1.3.76.16.2.1"
	OIDPolicyCIE    = "1.3.76.47.4"
)

// ParseCertificate parses a DER certificate read from a token. It never
// fails: a value that does not parse yields a Certificate with ParseError.
// now and warnDays fix Status and DaysLeft (see SetValidity).
func ParseCertificate(label string, id, der []byte, now time.Time, warnDays int) Certificate {
	c := Certificate{Label: label, ID: hex.EncodeToString(id), Usage: UsageOther}
	if len(der) == 0 {
		c.ParseError = "il driver restituisce un certificato vuoto"
		c.Unreadable = true
		return c
	}
	sum := sha256.Sum256(der)
	c.SHA256 = hex.EncodeToString(sum[:])
	x, err := x509.ParseCertificate(der)
	if err != nil {
		c.ParseError = "il valore restituito dal driver non è un certificato X.509 valido"
		c.Unreadable = true
		c.Detail = err.Error()
		return c
	}
	c.Subject = FormatDN(x.RawSubject)
	c.Issuer = FormatDN(x.RawIssuer)
	c.Serial = fmt.Sprintf("%X", x.SerialNumber)
	c.NotBefore = x.NotBefore.UTC()
	c.NotAfter = x.NotAfter.UTC()
	c.KeyUsage = keyUsageNames(x.KeyUsage)
	c.ExtKeyUsage = extKeyUsageNames(x)
	c.QCStatements = qcStatements(x)
	for _, p := range x.Policies {
		c.Policies = append(c.Policies, p.String())
	}
	c.Usage = classify(x, c.QCStatements, c.Policies)
	c.Holder, c.CodiceFiscale, c.CardNumber = ItalianSubject(x.Subject)
	c.SetValidity(now, warnDays)
	return c
}

// HolderOf returns the name of the holder of c, a certificate of t: its
// own (see ItalianSubject), else that of another certificate on t with
// the same codice fiscale, a signature certificate first (a CNS
// certificate often names nobody in its subject); "" when none does.
func (t *Token) HolderOf(c *Certificate) string {
	if h := strings.TrimSpace(c.Holder); h != "" {
		return h
	}
	if c.CodiceFiscale == "" {
		return ""
	}
	for _, u := range []Usage{UsageSignature, UsageAuthentication, UsageOther} {
		for i := range t.Certificates {
			o := &t.Certificates[i]
			if o != c && o.Usage == u && o.CodiceFiscale == c.CodiceFiscale && strings.TrimSpace(o.Holder) != "" {
				return strings.TrimSpace(o.Holder)
			}
		}
	}
	return ""
}

// HolderUnknown is what is said of a certificate that names no holder.
const HolderUnknown = "titolare non indicato"

// SetValidity fills DaysLeft and Status for the day now: expiring means
// that at most warnDays days are left.
func (c *Certificate) SetValidity(now time.Time, warnDays int) {
	if c.NotAfter.IsZero() {
		return
	}
	left := c.NotAfter.Sub(now)
	days := int(math.Floor(left.Hours() / 24))
	c.DaysLeft = &days
	switch {
	case now.Before(c.NotBefore):
		c.Status = CertNotYetValid
	case left < 0:
		c.Status = CertExpired
	case left <= time.Duration(warnDays)*24*time.Hour:
		c.Status = CertExpiring
	default:
		c.Status = CertValid
	}
}

func classify(x *x509.Certificate, qcs, policies []string) Usage {
	switch {
	case x.IsCA:
		return UsageOther
	case x.KeyUsage&x509.KeyUsageContentCommitment != 0, slices.Contains(qcs, OIDQcCompliance), slices.Contains(qcs, OIDQcSSCD):
		return UsageSignature
	case x.KeyUsage&x509.KeyUsageDigitalSignature != 0 &&
		(slices.Contains(x.ExtKeyUsage, x509.ExtKeyUsageClientAuth) || slices.Contains(policies, OIDPolicyCNS) || slices.Contains(policies, OIDPolicyCIE)):
		return UsageAuthentication
	}
	return UsageOther
}

var keyUsageBits = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"},
	{x509.KeyUsageContentCommitment, "nonRepudiation"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
	{x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"},
	{x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"},
	{x509.KeyUsageEncipherOnly, "encipherOnly"},
	{x509.KeyUsageDecipherOnly, "decipherOnly"},
}

func keyUsageNames(ku x509.KeyUsage) []string {
	var out []string
	for _, b := range keyUsageBits {
		if ku&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	return out
}

var ekuNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:             "any",
	x509.ExtKeyUsageServerAuth:      "serverAuth",
	x509.ExtKeyUsageClientAuth:      "clientAuth",
	x509.ExtKeyUsageCodeSigning:     "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection",
	x509.ExtKeyUsageTimeStamping:    "timeStamping",
	x509.ExtKeyUsageOCSPSigning:     "OCSPSigning",
}

func extKeyUsageNames(x *x509.Certificate) []string {
	var out []string
	for _, u := range x.ExtKeyUsage {
		if n, ok := ekuNames[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("eku(%d)", u))
		}
	}
	for _, o := range x.UnknownExtKeyUsage {
		out = append(out, o.String())
	}
	return out
}

// qcStatements returns the statement IDs of the qcStatements extension
// (RFC 3739): SEQUENCE OF SEQUENCE { statementId OID, statementInfo ANY OPTIONAL }.
func qcStatements(x *x509.Certificate) []string {
	var out []string
	for _, e := range x.Extensions {
		if e.Id.String() != oidQCStatements {
			continue
		}
		var stmts []struct {
			ID   asn1.ObjectIdentifier
			Info asn1.RawValue `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(e.Value, &stmts); err != nil {
			return []string{"(qcStatements non leggibile)"}
		}
		for _, s := range stmts {
			out = append(out, s.ID.String())
		}
	}
	return out
}

// cfPattern matches a personal codice fiscale, omocodia letters included.
const cfPattern = `[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]`

var (
	cfRe       = regexp.MustCompile(`^(?:` + cfPattern + `|[0-9]{11})$`)
	cfAnywhere = regexp.MustCompile(cfPattern)
	// cnsCN is the CN of a CNS certificate: "<codice fiscale>/<card number>.<hash>".
	cnsCN = regexp.MustCompile(`^([A-Z0-9]{11,16})/([0-9A-Za-z]+)(?:\.(.*))?$`)
)

var (
	oidGivenName    = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname      = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}
)

// ItalianSubject returns what an Italian certificate subject says about its
// holder: the name from givenName and surname (else the CN, when it is not
// a CNS CN), the codice fiscale from serialNumber "TINIT-<CF>" (older:
// "IT:<CF>") or from a CNS CN "<CF>/<card number>.<hash>", and that card
// number.
func ItalianSubject(n pkix.Name) (holder, cf, card string) {
	var given, sur, serial string
	for _, a := range n.Names {
		s, ok := a.Value.(string)
		if !ok {
			continue
		}
		switch {
		case a.Type.Equal(oidGivenName):
			given = strings.TrimSpace(s)
		case a.Type.Equal(oidSurname):
			sur = strings.TrimSpace(s)
		case a.Type.Equal(oidSerialNumber):
			serial = strings.TrimSpace(s)
		}
	}
	cn := strings.TrimSpace(n.CommonName)
	cnsMatch := cnsCN.FindStringSubmatch(strings.ToUpper(cn))
	switch {
	case given != "" && sur != "":
		holder = given + " " + sur
	case cn != "" && cnsMatch == nil:
		holder = cn
	case given != "" || sur != "":
		holder = strings.TrimSpace(given + " " + sur)
	}
	up := strings.ToUpper(serial)
	for _, prefix := range []string{"TINIT-", "IT:"} {
		if v, ok := strings.CutPrefix(up, prefix); ok && cfRe.MatchString(v) {
			cf = v
		}
	}
	if cnsMatch != nil {
		if cf == "" && cfRe.MatchString(cnsMatch[1]) {
			cf = cnsMatch[1]
		}
		card = cnsMatch[2]
	}
	return holder, cf, card
}

var dnShortNames = map[string]string{
	"2.5.4.3":              "CN",
	"2.5.4.4":              "SN",
	"2.5.4.5":              "serialNumber",
	"2.5.4.6":              "C",
	"2.5.4.7":              "L",
	"2.5.4.8":              "ST",
	"2.5.4.10":             "O",
	"2.5.4.11":             "OU",
	"2.5.4.12":             "title",
	"2.5.4.42":             "GN",
	"2.5.4.46":             "dnQualifier",
	"2.5.4.97":             "organizationIdentifier",
	"1.2.840.113549.1.9.1": "emailAddress",
}

// FormatDN renders a DER distinguished name most specific first
// ("CN=..., O=..., C=IT"), with short names for the usual attributes,
// including givenName, surname and serialNumber that Go's pkix.Name.String
// prints as hex.
func FormatDN(der []byte) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &rdns); err != nil || len(rest) > 0 {
		return "#" + hex.EncodeToString(der)
	}
	var parts []string
	for i := len(rdns) - 1; i >= 0; i-- {
		var multi []string
		for _, a := range rdns[i] {
			name, ok := dnShortNames[a.Type.String()]
			if !ok {
				name = a.Type.String()
			}
			var val string
			if s, ok := a.Value.(string); ok {
				val = escapeDNValue(s)
			} else {
				val = fmt.Sprintf("#%v", a.Value)
			}
			multi = append(multi, name+"="+val)
		}
		parts = append(parts, strings.Join(multi, "+"))
	}
	return strings.Join(parts, ", ")
}

func escapeDNValue(s string) string {
	if !strings.ContainsAny(s, `,+"\<>;`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`,+"\<>;`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
