package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const walkFlows = "../../testdata/walk"

// runMain runs Main in-process with stdin and returns the exit code and output.
func runMain(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestWalkDispatch(t *testing.T) {
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		out, err string
	}{
		{"not a terminal: plain topics", "", []string{"--flows", walkFlows}, 0, "1. Firma digitale (prova)", ""},
		{"run a flow", "2\n", []string{"--flows", walkFlows, "run", "firma"}, 0, "Installare il driver", ""},
		{"run a node", "", []string{"--flows", walkFlows, "run", "pec:fine"}, 0, "Esito: Risolto", ""},
		{"--plain is accepted", "q\n", []string{"--flows", walkFlows, "--plain"}, 0, "Argomenti:", ""},
		{"run with --plain after the flow", "", []string{"--flows", walkFlows, "run", "pec", "--plain"}, 0, "Problema con la PEC", ""},
		{"unknown flow", "", []string{"--flows", walkFlows, "run", "x"}, ExitUsage, "", "percorso «x» inesistente"},
		{"two arguments", "", []string{"--flows", walkFlows, "run", "pec", "firma"}, ExitUsage, "", "indica un percorso"},
		{"broken flows", "", []string{"--flows", "../../flows/README.md"}, ExitProblem, "", ""},
		{"--os windows shows the Windows steps", "", []string{"--flows", walkFlows, "run", "firma:driver", "--os", "windows"}, 0,
			"Istruzioni per Windows.\nIl driver si scarica dalla pagina dei driver (https://example.it/driver) del fornitore.\nPasso 1: Scarica il driver per Windows (file .msi).", ""},
		{"--os macos on the topics", "1\n2\n", []string{"--flows", walkFlows, "--os=macos"}, 0, "Istruzioni per macOS.", ""},
		{"--os linux has no variant here", "", []string{"--flows", walkFlows, "run", "firma:driver", "--os", "Linux"}, 0,
			"Istruzioni generali: non ce ne sono di specifiche per Linux.", ""},
		{"--os of an unknown system", "", []string{"--flows", walkFlows, "run", "firma", "--os", "mac"}, ExitUsage, "",
			"--os: sistema operativo «mac» sconosciuto: usa windows, macos o linux"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
		})
	}
}

func TestTranscriptFlag(t *testing.T) {
	file := filepath.Join(t.TempDir(), "dir", "ticket.md")
	code, out, errOut := runMain(t, "2\n2\ns\n", "--flows", walkFlows, "--transcript", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Riepilogo salvato in "+file) || !strings.Contains(errOut, "Riepilogo salvato in "+file) {
		t.Errorf("s and the exit should both say where:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	md, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(md), "## Esito: Informazione") {
		t.Errorf("transcript %q, %v", md, err)
	}
}

func TestTranscriptUnwritable(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runMain(t, "", "--flows", walkFlows, "--transcript", filepath.Join(blocker, "x.md"))
	if code != ExitProblem || !strings.Contains(errOut, "impossibile") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
