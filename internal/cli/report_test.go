package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var savedReports = filepath.Join("..", "diag", "testdata", "reports")

func TestReportCommand(t *testing.T) {
	for _, c := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"report"}, ExitUsage, "", "indica il file del rapporto, ad esempio: sportello report rapporto.json"},
		{[]string{"report", "a.json", "b.json"}, ExitUsage, "", "indica il file del rapporto"},
		{[]string{"report", "a.json", "--format", "yaml"}, ExitUsage, "", `formato "yaml" non previsto: usa text, json, junit`},
		{[]string{"report", "a.json", "--formato", "json"}, ExitUsage, "", "opzione sconosciuta: --formato"},
		{[]string{"report", "nessuno.json"}, ExitProblem, "", "sportello: nessuno.json: il file non esiste\n"},
		{[]string{"report", filepath.Join(savedReports, "dispositivo-valido.json")}, ExitOK, "✓ Esito: Nessun problema: il dispositivo di firma è pronto", ""},
		{[]string{"report", filepath.Join(savedReports, "certificato-in-scadenza.json")}, ExitOK, "! Esito: Nessun problema bloccante, ma 2 avvisi da controllare", ""},
		{[]string{"report", filepath.Join(savedReports, "certificato-in-scadenza.json"), "--strict"}, ExitProblem, "(con --strict gli avvisi contano come problemi)", ""},
		{[]string{"report", filepath.Join(savedReports, "pin-bloccato.json"), "--format", "junit"}, ExitProblem, `<failure message="PIN del dispositivo «Firma Test» bloccato" type="fail">`, ""},
		{[]string{"report", filepath.Join(savedReports, "pin-bloccato.json"), "--redact"}, ExitProblem, "(codici fiscali e numeri di serie mascherati)", ""},
	} {
		stdout, stderr, code := run(t, c.args...)
		if code != c.code || !strings.Contains(stdout, c.stdout) || !strings.Contains(stderr, c.stderr) {
			t.Errorf("%v: exit %d (want %d)\nstdout: %s\nstderr: %s", c.args, code, c.code, stdout, stderr)
		}
		if c.code != ExitOK && c.stdout == "" && stdout != "" {
			t.Errorf("%v: an error, yet stdout %q", c.args, stdout)
		}
	}
	// The file's mask is kept: a redacted report renders masked, and
	// --redact masks one that is not.
	stdout, _, _ := run(t, "report", filepath.Join(savedReports, "pin-bloccato.json"), "--redact")
	if strings.Contains(stdout, "RSSMRA80A01H501U") {
		t.Error("report --redact shows the codice fiscale")
	}
}

func TestReportHelpIsItalian(t *testing.T) {
	stdout, _, code := run(t, "report", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Uso:\n  sportello report FILE [opzioni]", "--format FORMATO", "--strict", "--redact", "Codici di uscita: 0 nessun problema nel rapporto",
		"niente viene controllato su questo computer"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, stdout)
		}
	}
	root, _, _ := run(t, "--help")
	if !strings.Contains(root, "report ") {
		t.Errorf("root help does not list report:\n%s", root)
	}
	if d, _, _ := run(t, "diagnose", "--help"); !strings.Contains(d, "--save") {
		t.Error("diagnose --help lacks --save")
	}
}

func TestReportFromStdin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(savedReports, "nessun-dispositivo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code := Main([]string{"report", "-", "--format", "json"}, strings.NewReader(string(data)), &out, &errb)
	if code != ExitProblem || out.String() != string(data) {
		t.Errorf("exit %d, stderr %s", code, errb.String())
	}
	code = Main([]string{"report", "-"}, strings.NewReader(string(data[:100])), &out, &errb)
	if code != ExitProblem || !strings.Contains(errb.String(), "sportello: stdin: il file è troncato (JSON incompleto alla riga ") {
		t.Errorf("truncated stdin: exit %d, %s", code, errb.String())
	}
}
