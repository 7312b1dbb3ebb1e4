package diag

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/station"
)

// --redact masks a codice fiscale wherever the workstation's facts hold
// one: a CNS certificate's subject in the Windows store.
func TestRedactWorkstationCertificates(t *testing.T) {
	r := &Report{Workstation: &station.Facts{GOOS: "windows", CertStores: &station.CertStores{Windows: &station.WindowsStore{
		Store: "MY", Certificates: []station.StoreCert{{SHA256: "ab", Subject: "RSSMRA80A01H501U/7420000000012345.abcd", HasKey: true}},
	}}}}
	redact(r)
	got := r.Workstation.CertStores.Windows.Certificates[0].Subject
	if strings.Contains(got, "RSSMRA80A01H501U") || !r.Redacted {
		t.Errorf("subject %q not masked", got)
	}
}
