package check

import "testing"

func TestUrgency(t *testing.T) {
	rs := []Result{
		{Check: TokenModule, Status: Pass},
		{Check: TokenPresent, Status: Skip},
		{Check: TokenPIN, Status: Warn},
		{Check: TokenPUK, Status: Warn, Urgent: true},
		{Check: TokenCertificate, Status: Fail},
	}
	want := []Urgency{UrgencyPass, UrgencySkip, UrgencyWarn, UrgencyProblem, UrgencyProblem}
	for i, r := range rs {
		if got := UrgencyOf(r); got != want[i] {
			t.Errorf("%s %s urgent=%v: %d, want %d", r.Check, r.Status, r.Urgent, got, want[i])
		}
	}
	// The first of the most urgent: the urgent warning before the fail.
	if i := MostUrgent(rs); i != 3 {
		t.Errorf("MostUrgent = %d, want 3", i)
	}
	if MostUrgent(nil) != -1 || MostUrgent(rs[:2]) != 0 {
		t.Error("MostUrgent of none, or of a pass and a skip")
	}
}

func TestShortFallsBackToTheTitle(t *testing.T) {
	for title, want := range map[string]string{
		"Il driver del dispositivo di firma non funziona: x.so": "il driver del dispositivo di firma non funziona: x.so",
		"Nessun lettore di smart card":                          "nessun lettore di smart card",
		"L'orologio del computer è indietro":                    "l'orologio del computer è indietro",
		"GoSign Desktop non installato":                         "GoSign Desktop non installato",
		"Firefox non usa il driver\x1b[31m":                     `Firefox non usa il driver\x1b[31m`,
	} {
		if got := Short(Result{Check: "workstation.x", Status: Fail, Title: title}); got != want {
			t.Errorf("Short(%q) = %q, want %q", title, got, want)
		}
	}
}

// A certificate result from a report that lacks the days to expiry is
// worded from its status and date, never as a missing certificate.
func TestShortCertificateWithoutDays(t *testing.T) {
	for _, c := range []struct {
		st    Status
		facts map[string]string
		want  string
	}{
		{Fail, map[string]string{FactCertStatus: "scaduto", FactCertNotAfter: "05/09/2026"}, "il certificato di firma è scaduto il 05/09/2026"},
		{Fail, map[string]string{FactCertStatus: "scaduto"}, "il certificato di firma è scaduto"},
		{Fail, map[string]string{FactCertStatus: "non ancora valido"}, "il certificato di firma non è ancora valido"},
		{Fail, nil, "nessun certificato di firma sul dispositivo"},
		{Fail, map[string]string{FactCertDaysLeft: "-3", FactCertNotAfter: "01/01/2026"}, "il certificato di firma è scaduto il 01/01/2026"},
		{Warn, map[string]string{FactCertNotAfter: "05/09/2026"}, "il certificato di firma scade il 05/09/2026"},
		{Warn, map[string]string{FactCertDaysLeft: "11"}, "il certificato di firma scade tra 11 giorni"},
		{Pass, map[string]string{FactCertNotAfter: "05/09/2029"}, "certificato di firma valido fino al 05/09/2029"},
		{Pass, nil, "certificato di firma valido"},
	} {
		if got := Short(Result{Check: TokenCertificate, Status: c.st, Facts: c.facts}); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.st, c.facts, got, c.want)
		}
	}
}
