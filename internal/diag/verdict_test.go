package diag

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
)

func TestVerdict(t *testing.T) {
	pass := check.Result{Status: check.Pass}
	warn := check.Result{Status: check.Warn}
	urgent := check.Result{Status: check.Warn, Urgent: true}
	fail := check.Result{Status: check.Fail}
	cases := []struct {
		name    string
		results []check.Result
		strict  bool
		ok      bool
		status  string
		message string
	}{
		{"all pass", []check.Result{pass, pass}, false, true, "ok", "Nessun problema: il dispositivo di firma è pronto"},
		{"a warning", []check.Result{pass, warn}, false, true, "warn", "Nessun problema bloccante, ma 1 avviso da controllare"},
		{"a warning, strict", []check.Result{pass, warn}, true, false, "warn", "con --strict gli avvisi contano come problemi"},
		{"an urgent warning", []check.Result{pass, urgent}, false, false, "problem", "Trovato 1 problema: segui le indicazioni"},
		{"urgent and plain warnings", []check.Result{urgent, warn}, false, false, "problem", "Trovato 1 problema e 1 avviso: segui le indicazioni"},
		{"fail and urgent", []check.Result{fail, urgent, warn}, false, false, "problem", "Trovati 2 problemi e 1 avviso: segui le indicazioni"},
	}
	for _, c := range cases {
		v := NewVerdict(c.results, c.strict)
		if v.OK != c.ok || v.Status != c.status || !strings.Contains(v.Message, c.message) {
			t.Errorf("%s: verdict %+v, want ok=%v status=%s message containing %q", c.name, v, c.ok, c.status, c.message)
		}
	}
}
