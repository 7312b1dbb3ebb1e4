package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/flow"
)

// TestGolden runs the real program loop (teatest) at 80×24, with the colour
// profile pinned to ASCII in init, walks to a screen and compares the final
// frame with testdata/TestGolden/NAME.golden. Rewrite them with
// go test ./internal/tui -run TestGolden -update.
func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string
		size   [2]int
		want   string  // text of the screen to wait for
		os     flow.OS // the system whose variants show; "": Linux (newEngine)
		office bool    // the office of testdata/config/esempio.yaml is configured
	}{
		{"home", nil, [2]int{80, 24}, "Scegli l'argomento", "", false},
		{"question", []string{"enter"}, [2]int{80, 24}, "Ho un problema con la PEC", "", false},
		{"steps", []string{"enter", "2"}, [2]int{80, 24}, "Non funziona ancora", "", false},
		{"end", []string{"enter", "2", "2"}, [2]int{80, 24}, "Torna agli argomenti", "", false},
		{"info", []string{"2", "2"}, [2]int{80, 24}, "Torna agli argomenti", "", false},
		{"search", append([]string{"/"}, strings.Split("driver", "")...), [2]int{80, 24}, "3 risultati", "", false},
		{"search-empty", append([]string{"/"}, strings.Split("zzz", "")...), [2]int{80, 24}, "Nessun risultato", "", false},
		{"help", []string{"enter", "?"}, [2]int{80, 24}, "Tasti", "", false},
		{"long-text", []string{"2", "1"}, [2]int{80, 16}, "continua", "", false},
		{"tiny", []string{"enter"}, [2]int{30, 8}, "continua", "", false},
		{"steps-windows", []string{"enter", "2"}, [2]int{80, 24}, "Non funziona ancora", flow.Windows, false},
		{"visit", []string{"2", "1", "3"}, [2]int{80, 24}, "Torna indietro senza installare", "", false},
		{"visit-end", []string{"2", "1", "3", "1"}, [2]int{80, 24}, "Torna agli argomenti", "", false},
		{"visit-back", []string{"2", "1", "3", "1", "enter"}, [2]int{80, 24}, "↩ Accesso alla PEC", "", false},
		{"end-office", []string{"enter", "2", "2"}, [2]int{80, 30}, "Torna agli argomenti", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t)
			if tt.os != "" {
				e.SetOS(tt.os)
			}
			if tt.office {
				e.SetOffice(exampleOffice(t))
			}
			m := New(Options{Engine: e})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(tt.size[0], tt.size[1]))
			for _, k := range tt.keys {
				tm.Send(keyMsg(k))
			}
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(tt.want)) },
				teatest.WithDuration(3*time.Second))
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			final := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*Model)
			teatest.RequireEqualOutput(t, []byte(final.View()))
		})
	}
}

// TestQuitEndsProgram checks that q ends the real program loop.
func TestQuitEndsProgram(t *testing.T) {
	tm := teatest.NewTestModel(t, New(Options{Engine: newEngine(t)}), teatest.WithInitialTermSize(80, 24))
	tm.Send(keyMsg("enter"))
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
}

// exampleOffice is the office of the example configuration.
func exampleOffice(t testing.TB) *config.Office {
	t.Helper()
	c, err := config.Load(config.Place{Path: "../../testdata/config/esempio.yaml"}, true)
	if err != nil {
		t.Fatal(err)
	}
	return &c.Ufficio
}
