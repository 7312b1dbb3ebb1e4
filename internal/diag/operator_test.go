package diag_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
)

func readSaved(t *testing.T, name string) *diag.Report {
	t.Helper()
	r, err := diag.ReadReport(filepath.Join("testdata", "reports", name))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The report runner answers from the report: every result of the names
// asked, by check and device, emitted as it goes; a check the report lacks
// is an Error that says so.
func TestReportRunner(t *testing.T) {
	r := readSaved(t, "due-dispositivi-segue-quello-scaduto.json")
	run := &diag.ReportRunner{Report: r}
	var emitted []check.Result
	got := run.Run(context.Background(), []string{check.TokenPIN, check.TokenModule, "workstation.nessuno"}, func(c check.Result) { emitted = append(emitted, c) })
	if len(got) != 4 || len(emitted) != 4 {
		t.Fatalf("%d results, %d emitted: %+v", len(got), len(emitted), got)
	}
	if got[0].Check != check.TokenModule || got[1].Check != check.TokenPIN || got[2].Check != check.TokenPIN || got[1].Device.Label == got[2].Device.Label {
		t.Errorf("order: %s %s %s", got[0].Check, got[1].Check, got[2].Check)
	}
	if last := got[3]; last.Check != "workstation.nessuno" || last.Status != check.Skip || !strings.Contains(last.Title, "il rapporto non contiene il controllo «workstation.nessuno»") {
		t.Errorf("missing check: %+v", last)
	}
	// Every check: the report's (made without the workstation), then an
	// Error for each workstation check it lacks.
	all := run.Run(context.Background(), nil, nil)
	if len(all) != len(r.Checks)+len(check.StationCheckNames) || run.Last() != r {
		t.Errorf("all checks: %d results for %d in the report", len(all), len(r.Checks))
	}
	for _, c := range all[len(r.Checks):] {
		if c.Status != check.Skip || !strings.HasPrefix(c.Check, "workstation.") {
			t.Errorf("a check the report lacks: %+v", c)
		}
	}
}

func TestHeaderAndOS(t *testing.T) {
	for _, c := range []struct {
		file, want, os string
	}{
		{"dispositivo-valido.json", " · «Firma Test» (MARIO ROSSI), non da questo computer", "linux"},
		{"dispositivo-valido-mascherato.json", " · «Firma Test» (MARIO ROSSI) · dati personali mascherati, non da questo computer", "linux"},
		{"due-dispositivi-segue-quello-scaduto.json", " · 2 dispositivi, non da questo computer", "linux"},
		{"nessun-dispositivo.json", " · nessun dispositivo letto, non da questo computer", "linux"},
		{"etichetta-ostile.json", ` · «\x1b[2J\x1b]0;x\x07\u{202e}amriF» (MARIO ROSSI), non da questo computer`, "linux"},
	} {
		r := readSaved(t, c.file)
		want := "Dati dal rapporto del " + r.GeneratedAt.Local().Format("02/01/2006 15:04") + c.want
		if got := diag.Header(r); got != want {
			t.Errorf("%s: header %q, want %q", c.file, got, want)
		}
		if got := diag.ReportOS(r); got != c.os {
			t.Errorf("%s: os %q", c.file, got)
		}
	}
	r := readSaved(t, "dispositivo-valido.json")
	r.Modules[0].Path = `C:\Windows\System32\bit4xpki.dll`
	if diag.ReportOS(r) != "windows" {
		t.Error("a Windows driver path is not Windows")
	}
	r.Modules[0].Path = "/Library/bit4id/pkcs11/libbit4xpki.dylib"
	if diag.ReportOS(r) != "darwin" {
		t.Error("a dylib is not macOS")
	}
	r.Modules = nil
	if diag.ReportOS(r) != "" {
		t.Error("no driver tried: the system is unknown")
	}
}

// Every node a saved report's result names is one its check is known to
// lead to (check.NodesOf): the self-check's links and the linter rely on
// that list.
func TestSavedReportsLeadToKnownNodes(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "reports", "*.json"))
	if len(files) < 10 {
		t.Fatalf("%d saved reports", len(files))
	}
	for _, f := range files {
		r := readSaved(t, filepath.Base(f))
		for _, c := range r.Checks {
			if !check.Leads(c) {
				t.Errorf("%s: %s %s names %q, not in check.NodesOf(%q) = %v", filepath.Base(f), c.Check, c.Status, c.Node, c.Check, check.NodesOf(c.Check))
			}
		}
	}
}
