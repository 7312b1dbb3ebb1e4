package cli

import (
	"strings"
	"testing"
)

func TestDiagnoseUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"diagnose", "--format", "yaml"}, `formato "yaml" non previsto: usa text, json, junit`},
		{[]string{"diagnose", "--warn-days", "0"}, "--warn-days vuole un numero di giorni tra 1 e 3650"},
		{[]string{"diagnose", "--warn-days", "trenta"}, "valore non valido"},
		{[]string{"diagnose", "--timeout", "0s"}, "--timeout vuole una durata positiva"},
		{[]string{"diagnose", "--timeout", "quindici"}, "valore non valido"},
		{[]string{"diagnose", "--modulo", "x.so"}, "opzione sconosciuta: --modulo"},
		{[]string{"diagnose", "extra"}, "comando sconosciuto"},
		{[]string{"__probe"}, "__probe vuole --module"},
	}
	for _, c := range cases {
		stdout, stderr, code := run(t, c.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, ExitUsage, stderr)
		}
		if !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%v: stderr %q lacks %q (stdout %q)", c.args, stderr, c.want, stdout)
		}
	}
}

func TestDiagnoseHelpIsItalian(t *testing.T) {
	stdout, _, code := run(t, "diagnose", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"Uso:\n  sportello diagnose [opzioni]",
		"--format FORMATO", "scrive il risultato nel FORMATO text",
		"--warn-days GIORNI", "avvisa quando un certificato scade entro GIORNI giorni (predefinito: 30)",
		"--timeout DURATA", "ferma il controllo di un driver che non risponde dopo DURATA",
		"--module PERCORSO", "ripetibile (anche SPORTELLO_PKCS11_MODULE)",
		"--strict", "considera gli avvisi come problemi",
		"--redact", "maschera codici fiscali e numeri di serie",
		"Codici di uscita: 0 nessun problema",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, stdout)
		}
	}
	for _, english := range []string{"(default", " string", " int ", " duration", "stringArray", "Usage", "Flags"} {
		if strings.Contains(stdout, english) {
			t.Errorf("help has English %q:\n%s", english, stdout)
		}
	}
	root, _, _ := run(t, "--help")
	if !strings.Contains(root, "diagnose") || strings.Contains(root, "__probe") {
		t.Errorf("root help: diagnose listed, __probe hidden:\n%s", root)
	}
}
