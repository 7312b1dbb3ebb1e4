package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

const exampleConfig = "../../testdata/config/esempio.yaml"

// noConfig makes sure no configuration is found: a fresh user directory,
// no system file (which a test cannot remove), SPORTELLO_CONFIG unset.
func noConfig(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("SPORTELLO_CONFIG", "")
	if _, err := os.Stat("/etc/sportello/config.yaml"); err == nil {
		t.Fatal("/etc/sportello/config.yaml exists on this machine: the tests without a configuration would read it")
	}
}

// phone finds what looks like a phone number: six digits or more, maybe
// spaced or dashed, maybe after a +.
var phone = regexp.MustCompile(`\+?\d(?:[ -]?\d){5,}`)

// TestEscalationContacts: every escalation node of the shipped flows shows
// the configured phone and e-mail in plain mode and in the summary; without
// a configuration it says whom to ask and shows no number at all.
func TestEscalationContacts(t *testing.T) {
	noConfig(t)
	set, err := flow.LoadFS(flows.FS, "flows", check.Known)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range set.Flows {
		for _, id := range f.NodeIDs {
			nd := f.Nodes[id]
			if !engine.ShowsContacts(nd) {
				continue
			}
			n++
			ref := f.ID + ":" + id
			file := filepath.Join(t.TempDir(), "r.md")
			code, out, errOut := runMain(t, "", "--config", exampleConfig, "run", ref, "--plain", "--transcript", file)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", ref, code, errOut)
			}
			block := out[strings.Index(out, "Come contattare l'ufficio:"):]
			for _, want := range []string{"  Telefono: +39 0123 456789\n", "  E-mail: firma@comune.esempio.it\n",
				"  Sportello firma digitale del Comune di Esempio\n", "  " + engine.SecretsWarning + "\n"} {
				if !strings.Contains(block, want) {
					t.Errorf("%s: the contacts block lacks %q:\n%s", ref, want, out)
				}
			}
			md, _ := os.ReadFile(file)
			if !strings.Contains(string(md), "### Come contattare l'ufficio\n\n- Sportello firma digitale del Comune di Esempio\n- Telefono: +39 0123 456789\n- E-mail: firma@comune.esempio.it\n") {
				t.Errorf("%s: the summary lacks the contacts:\n%s", ref, md)
			}

			code, out, errOut = runMain(t, "", "run", ref, "--plain")
			if code != 0 {
				t.Fatalf("%s without a configuration: exit %d: %s", ref, code, errOut)
			}
			if !strings.Contains(out, "Come contattare l'ufficio:\n  "+engine.NoContacts+"\n  "+engine.SecretsWarning+"\n") {
				t.Errorf("%s without a configuration: no «contatta l'ufficio che ti ha rilasciato»:\n%s", ref, out)
			}
			if m := phone.FindString(out); m != "" {
				t.Errorf("%s without a configuration shows a number, %q:\n%s", ref, m, out)
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d escalation nodes in the shipped flows", n)
	}
	t.Logf("%d escalation nodes", n)
}

// TestPhoneFinder: the number finder of the test above can fail.
func TestPhoneFinder(t *testing.T) {
	for s, want := range map[string]bool{"chiama 06 1234567": true, "+39 0123 456789": true, "800-123456": true,
		"versione 1.4.10.598": false, "scade il 12/05/2027": false, "passo 5.7.2": false, "PIN di 8 cifre": false} {
		if got := phone.MatchString(s); got != want {
			t.Errorf("phone(%q) = %v", s, got)
		}
	}
}

func TestConfigFlagAndEnv(t *testing.T) {
	noConfig(t)
	bad := filepath.Join(t.TempDir(), "rotto.yaml")
	if err := os.WriteFile(bad, []byte("ufficio:\n  telefono: 0123456789\n  sitp: https://a.it\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      string // SPORTELLO_CONFIG
		args     []string
		code     int
		out, err string
	}{
		{"--config shows the office", "", []string{"--config", exampleConfig, "--flows", walkFlows, "run", "firma:assistenza"}, 0,
			"Come contattare l'ufficio:\n  Sportello firma digitale del Comune di Esempio\n  Telefono: +39 0123 456789\n", ""},
		{"SPORTELLO_CONFIG shows the office", exampleConfig, []string{"--flows", walkFlows, "run", "firma:assistenza"}, 0,
			"  E-mail: firma@comune.esempio.it\n", ""},
		{"facts quote the office", exampleConfig, []string{"--flows", walkFlows, "run", "pec:piena"}, 0, "spazio aggiuntivo tramite l'ufficio (orari: lun-ven 9-13).", ""},
		{"contacts: true on an info end", exampleConfig, []string{"--flows", walkFlows, "run", "pec:piena"}, 0,
			"Esito: Informazione\nCasella piena\nElimina i messaggi vecchi oppure acquista spazio aggiuntivo tramite l'ufficio (orari: lun-ven 9-13).\nCome contattare l'ufficio:\n  Sportello firma", ""},
		{"a fact not configured", "", []string{"--flows", walkFlows, "run", "pec:piena"}, 0, "tramite l'ufficio (orari: —).", ""},
		{"no configuration", "", []string{"--flows", walkFlows, "run", "firma:assistenza"}, 0, "  " + engine.NoContacts + "\n", ""},
		{"a broken configuration stops the assistant", "", []string{"--config", bad, "--flows", walkFlows}, ExitProblem, "",
			bad + ":2: «ufficio.telefono» va scritto tra virgolette, \"0123456789\": senza, YAML lo legge come un numero\n" +
				bad + ":3: campo sconosciuto «sitp» in «ufficio» (forse «sito»?): i campi sono nome, telefono, email, orari, indirizzo e sito\n" +
				"sportello: la configurazione dell'ufficio contiene 2 errori: correggila (sportello config check " + bad + ")\n"},
		{"a broken SPORTELLO_CONFIG too", bad, []string{"--flows", walkFlows, "run", "pec"}, ExitProblem, "", "contiene 2 errori"},
		{"a missing --config is a usage error", "", []string{"--config", "manca.yaml", "run", "pec"}, ExitUsage, "",
			"sportello: configurazione dell'ufficio non leggibile: manca.yaml: file inesistente (file di configurazione indicato con --config)\n"},
		{"a missing SPORTELLO_CONFIG too", "manca.yaml", []string{"run", "pec"}, ExitUsage, "", "(file di configurazione indicato da SPORTELLO_CONFIG)"},
		{"config check FILE", "", []string{"config", "check", exampleConfig}, 0,
			exampleConfig + ": configurazione valida (indicato sulla riga di comando)\n  ufficio.nome: Sportello firma digitale del Comune di Esempio\n", ""},
		{"config check of a broken file", "", []string{"config", "check", bad}, ExitProblem,
			bad + ":2: «ufficio.telefono»", "2 problemi in " + bad},
		{"config check finds SPORTELLO_CONFIG", exampleConfig, []string{"config", "check"}, 0, "configurazione valida (indicato da SPORTELLO_CONFIG)", ""},
		{"config check with nothing to check", "", []string{"config", "check"}, ExitProblem, "", "Nessuna configurazione dell'ufficio trovata. Cercata in:\n"},
		{"config check of a missing file", "", []string{"config", "check", "manca.yaml"}, ExitUsage, "", "manca.yaml: file inesistente"},
		{"config check takes one file", "", []string{"config", "check", "a", "b"}, ExitUsage, "", "indica al massimo un file"},
		{"flows lint ignores the configuration", "", []string{"--config", bad, "flows", "lint", walkFlows}, 0, "", "nessun problema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SPORTELLO_CONFIG", tt.env)
			code, out, errOut := runMain(t, "", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
		})
	}
}

// TestConfigGetter: the loaded configuration is there for other commands
// (the diagnostics take gosign.versione_minima from it), read once.
func TestConfigGetter(t *testing.T) {
	noConfig(t)
	a := &app{stderr: os.Stderr}
	a.office.flag = exampleConfig
	c, err := a.Config()
	if err != nil || c == nil || c.GoSign.VersioneMinima != "2.1.0" || c.Ufficio.Telefono != "+39 0123 456789" {
		t.Fatalf("Config() = %+v, %v", c, err)
	}
	a.office.flag = "altro.yaml" // read once: the flag is not read again
	if c2, err := a.Config(); err != nil || c2 != c {
		t.Errorf("second Config() = %+v, %v", c2, err)
	}
	b := &app{stderr: os.Stderr}
	if c, err := b.Config(); c != nil || err != nil {
		t.Errorf("no configuration: %+v, %v", c, err)
	}
}
