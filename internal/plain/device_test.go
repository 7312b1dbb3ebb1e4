package plain

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/check/checktest"
	"github.com/sportello/sportello/internal/engine"
)

func TestDeviceQuestion(t *testing.T) {
	out, _, e := walk(t, strings.NewReader("1\n1\n2\n"), Options{Runner: checktest.ProbeRunner(checktest.TwoDevices), Echo: true})
	inOrder(t, out,
		"Verifica del dispositivo", engine.DeviceQuestion,
		"  1. «Vecchia» (MARIO ROSSI) — PIN bloccato\n",
		"  2. «Nuova» (MARIO ROSSI) — nessun problema rilevato\n",
		"Dispositivo (1-2, b indietro, h argomenti, ? aiuto, q esci): 2\n",
		"Dispositivo scelto: «Nuova» (MARIO ROSSI)",
		"Esito del controllo: OK — Dispositivo di firma presente: «Nuova»",
		"Il dispositivo Nuova è pronto per firmare.",
		"Dispositivi trovati (2):\n- «Vecchia» (MARIO ROSSI): PIN bloccato; il certificato di firma è scaduto il 05/09/2026\n- «Nuova» (MARIO ROSSI): nessun problema rilevato (quello seguito in questo percorso)\n",
	)
	if e.CurrentRef().String() != "firma:trovato" || e.Device() == nil || e.Device().Label != "Nuova" {
		t.Errorf("at %s with device %+v", e.CurrentRef(), e.Device())
	}
}

func TestDeviceQuestionAnswers(t *testing.T) {
	cases := []struct {
		name, input, where string
		want               []string
	}{
		{"a wrong answer is explained and asked again", "1\n1\n7\nx\n1\n", "firma:trovato",
			[]string{"Risposta non valida: scrivi il numero del dispositivo (1-2)", "Dispositivo scelto: «Vecchia»"}},
		{"b goes back", "1\n1\nb\n", "firma:sintomo", []string{engine.DeviceQuestion, "Problema con la firma"}},
		{"h goes to the topics", "1\n1\nh\n", "home", []string{engine.DeviceQuestion, "Argomenti:"}},
		{"q quits", "1\n1\nq\n2\n", "firma:verifica", []string{engine.DeviceQuestion}},
		{"the end of the input ends", "1\n1\n", "firma:verifica", []string{engine.DeviceQuestion, "Fine delle risposte"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _, e := walk(t, strings.NewReader(c.input), Options{Runner: checktest.ProbeRunner(checktest.TwoDevices)})
			if got := where(e); got != c.where {
				t.Errorf("at %s, want %s\n%s", got, c.where, out)
			}
			inOrder(t, out, c.want...)
		})
	}
}

// One device: no question, the walk goes on as before.
func TestOneDeviceIsNotAsked(t *testing.T) {
	one := func(ctx context.Context) []check.Result { rs := checktest.TwoDevices(ctx); return rs[:2] }
	out, _, e := walk(t, strings.NewReader("1\n1\n"), Options{Runner: checktest.ProbeRunner(one)})
	if strings.Contains(out, engine.DeviceQuestion) || strings.Contains(out, "Dispositivi trovati") || e.CurrentRef().String() != "firma:trovato" {
		t.Errorf("at %s:\n%s", e.CurrentRef(), out)
	}
}
