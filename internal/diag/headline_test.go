package diag_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
)

// The status line and the phone line over every token state, from the
// reports the real binary saved (testdata/reports).
func TestStatusAndPhoneLines(t *testing.T) {
	const dev = "«Firma Test»"
	cases := []struct {
		file    string
		device  string // whose signature certificate {data} is: "" for the first
		urgency check.Urgency
		status  string
		phone   string
	}{
		{"dispositivo-valido.json", "", check.UrgencyPass, dev + ": nessun problema, certificato di firma valido fino al {data}",
			"Tutto a posto: " + dev + " — certificato di firma valido fino al {data}"},
		{"dispositivo-valido-mascherato.json", "", check.UrgencyPass, dev + ": nessun problema, certificato di firma valido fino al {data}",
			"Tutto a posto: " + dev + " — certificato di firma valido fino al {data}"},
		{"certificato-in-scadenza.json", "", check.UrgencyWarn, dev + ": il certificato di firma scade tra 12 giorni",
			"Avviso: " + dev + " — il certificato di firma scade tra 12 giorni (e un altro avviso)"},
		{"certificati-scaduti.json", "", check.UrgencyProblem, dev + ": il certificato di firma è scaduto il {data}",
			"Problema: " + dev + " — il certificato di firma è scaduto il {data} (e un altro problema)"},
		{"nessun-certificato.json", "", check.UrgencyProblem, dev + ": nessun certificato di firma sul dispositivo",
			"Problema: " + dev + " — nessun certificato di firma sul dispositivo"},
		{"pin-errato-una-volta.json", "", check.UrgencyWarn, dev + ": è stato inserito un PIN errato",
			"Avviso: " + dev + " — è stato inserito un PIN errato"},
		{"pin-all-ultimo-tentativo.json", "", check.UrgencyProblem, dev + ": resta un solo tentativo per il PIN",
			"Problema: " + dev + " — resta un solo tentativo per il PIN"},
		{"pin-bloccato.json", "", check.UrgencyProblem, dev + ": PIN bloccato", "Problema: " + dev + " — PIN bloccato"},
		{"pin-bloccato-mascherato.json", "", check.UrgencyProblem, dev + ": PIN bloccato", "Problema: " + dev + " — PIN bloccato"},
		// The PUK's result says the same as the PIN's: not counted twice.
		{"pin-e-puk-bloccati.json", "", check.UrgencyProblem, dev + ": PIN e PUK bloccati", "Problema: " + dev + " — PIN e PUK bloccati"},
		{"puk-bloccato.json", "", check.UrgencyWarn, dev + ": PUK bloccato", "Avviso: " + dev + " — PUK bloccato"},
		{"nessun-dispositivo.json", "", check.UrgencyProblem, "Nessun dispositivo inserito", "Problema: nessun dispositivo inserito"},
		{"errore-del-dispositivo.json", "", check.UrgencyProblem, "Il dispositivo non risponde", "Problema: il dispositivo non risponde"},
		{"driver-mancante.json", "", check.UrgencyProblem, "Il driver del dispositivo di firma non funziona: libmanca.so",
			"Problema: il driver del dispositivo di firma non funziona: libmanca.so"},
		{"driver-bloccato.json", "", check.UrgencyProblem, "Il driver del dispositivo di firma non funziona: fault.so",
			"Problema: il driver del dispositivo di firma non funziona: fault.so"},
		// A report of a sportello before several devices were judged: no
		// device on its results.
		{"prima-dei-dispositivi-pin-bloccato.json", "", check.UrgencyProblem, dev + ": PIN bloccato", "Problema: " + dev + " — PIN bloccato"},
		// Several devices: the most urgent fact over all of them.
		{"due-dispositivi-segue-quello-scaduto.json", "Vecchia", check.UrgencyProblem, "«Vecchia»: il certificato di firma è scaduto il {data} (2 dispositivi inseriti)",
			"Problema: «Vecchia» — il certificato di firma è scaduto il {data} (e un altro problema)"},
		{"due-dispositivi-segue-quello-col-pin-bloccato.json", "", check.UrgencyProblem, "«Bloccata»: PIN bloccato (2 dispositivi inseriti)", "Problema: «Bloccata» — PIN bloccato"},
		// The workstation's triage (a pcscd of the test's own): why no
		// device is read, in the device's own line.
		{"nessun-lettore.json", "", check.UrgencyProblem, "Nessun dispositivo inserito",
			"Problema: nessun dispositivo inserito (e altri 2 problemi e 1 avviso)"},
		{"certificato-non-ancora-valido.json", "", check.UrgencyProblem, dev + ": il certificato di firma non è ancora valido",
			"Problema: " + dev + " — il certificato di firma non è ancora valido"},
		{"lettore-vuoto.json", "", check.UrgencyProblem, "Inserisci la smart card nel lettore «Virtual PCD 00 00»",
			"Problema: inserisci la smart card nel lettore «Virtual PCD 00 00» (e altri 2 problemi e 1 avviso)"},
		{"carta-non-riconosciuta.json", "", check.UrgencyProblem,
			"La carta nel lettore «Virtual PCD 00 00» non è riconosciuta dal driver: è una CNS (Carta Nazionale dei Servizi) STIncard, chip STMicroelectronics, specifica CNS 1.0",
			"Problema: la carta nel lettore «Virtual PCD 00 00» non è riconosciuta dal driver: è una CNS (Carta Nazionale dei Servizi) STIncard, chip STMicroelectronics, specifica CNS 1.0 (e altri 2 problemi e 1 avviso)"},
		{"etichetta-ostile.json", "", check.UrgencyWarn, `«\x1b[2J\x1b]0;x\x07\u{202e}amriF»: il certificato di firma scade tra 11 giorni`,
			`Avviso: «\x1b[2J\x1b]0;x\x07\u{202e}amriF» — il certificato di firma scade tra 11 giorni`},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.file] = true
		r, err := diag.ReadReport(filepath.Join("testdata", "reports", c.file))
		if err != nil {
			t.Fatal(err)
		}
		// {data} is a signature certificate's expiry, which changes when
		// the saved reports are made again.
		date := strings.NewReplacer("{data}", certDate(r, c.device))
		c.status, c.phone = date.Replace(c.status), date.Replace(c.phone)
		h := diag.StatusLine(r)
		if h.Text != c.status || h.Urgency != c.urgency {
			t.Errorf("%s: status line %q (urgency %d), want %q (%d)", c.file, h.Text, h.Urgency, c.status, c.urgency)
		}
		if got := diag.PhoneLine(r); got != c.phone {
			t.Errorf("%s: phone line %q, want %q", c.file, got, c.phone)
		}
	}
	for name := range savedReports(t) {
		if !seen[name] {
			t.Errorf("saved report %s has no expected lines", name)
		}
	}
}

// certDate is the expiry date of the signature certificate of the device
// labelled label ("" for the first).
func certDate(r *diag.Report, label string) string {
	for _, c := range check.Of(r.Checks, check.TokenCertificate) {
		if label == "" || c.Device != nil && c.Device.Label == label {
			return c.Facts[check.FactCertNotAfter]
		}
	}
	return ""
}
