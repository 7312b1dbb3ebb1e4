package diag_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/diag"
)

func TestSaveForOffice(t *testing.T) {
	data := savedReport(t, "pin-bloccato.json")
	r, err := diag.DecodeReport("r", data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := "rapporto-sportello-" + r.GeneratedAt.Local().Format("20060102-150405")

	plain, err := diag.SaveForOffice(r, diag.SaveOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Path != filepath.Join(dir, name+".json") || plain.Redacted || plain.Line != "Problema: «Firma Test» — PIN bloccato" {
		t.Errorf("saved %+v", plain)
	}
	if got, _ := os.ReadFile(plain.Path); !bytes.Equal(got, data) {
		t.Error("the saved file is not the report's JSON")
	}
	if fi, _ := os.Stat(plain.Path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}

	masked, err := diag.SaveForOffice(r, diag.SaveOptions{Dir: dir, Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	if masked.Path != filepath.Join(dir, name+"-2.json") || !masked.Redacted {
		t.Errorf("saved %+v", masked)
	}
	got, _ := os.ReadFile(masked.Path)
	if strings.Contains(string(got), "RSSMRA80A01H501U") || !strings.Contains(string(got), "*************01U") {
		t.Error("the masked file holds the codice fiscale in clear")
	}
	if back, err := diag.ReadReport(masked.Path); err != nil || !back.Redacted || back.Verdict != r.Verdict {
		t.Errorf("the masked file reads back: %v", err)
	}
	// The report saved is a masked copy: the caller's report is unchanged.
	if r.Redacted || !strings.Contains(r.Checks[4].Facts["cert.cf"], "RSSMRA80A01H501U") {
		t.Error("SaveForOffice masked the caller's report")
	}

	// No documents folder: the state folder.
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_DOCUMENTS_DIR", "")
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "stato"))
	s, err := diag.SaveForOffice(r, diag.SaveOptions{})
	if runtime.GOOS == "linux" && (err != nil || filepath.Dir(s.Path) != filepath.Join(home, "stato", "sportello")) {
		t.Errorf("without a documents folder: %s %v", s.Path, err)
	}
}
