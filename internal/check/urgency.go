package check

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// Urgency orders results for whoever shows one line about many (the
// topics screen's status line, the line read out on the phone).
type Urgency int

// Urgencies, least urgent first.
const (
	UrgencySkip    Urgency = iota // not applicable
	UrgencyPass                   // all is well
	UrgencyWarn                   // a warning
	UrgencyProblem                // fail, error, or an urgent warning: what diagnose counts as a problem
)

// UrgencyOf is how urgent r is. A problem is what diagnose's verdict
// counts as one: fail, error and an urgent warning.
func UrgencyOf(r Result) Urgency {
	switch r.Status {
	case Fail, Error:
		return UrgencyProblem
	case Warn:
		if r.Urgent {
			return UrgencyProblem
		}
		return UrgencyWarn
	case Pass:
		return UrgencyPass
	}
	return UrgencySkip
}

// MostUrgent returns the index of the most urgent of rs, the first one of
// the highest urgency (results come in the order of Known, so a driver
// problem, which explains the rest, comes before a device's); -1 when rs
// is empty.
func MostUrgent(rs []Result) int {
	best := -1
	for i, r := range rs {
		if best < 0 || UrgencyOf(r) > UrgencyOf(rs[best]) {
			best = i
		}
	}
	return best
}

// Short says what r found in a few Italian words, for a status line: "PIN
// bloccato", "il certificato di firma scade tra 11 giorni", "nessun
// dispositivo inserito". It starts with a lower-case letter unless its
// first word is a name (PIN, PUK, a product); Capitalize it to begin a
// line. For the token checks it is built from the status, the node and
// the facts; for any other check it is the title. The text is sanitised
// for a terminal.
func Short(r Result) string {
	if s := tokenShort(r); s != "" {
		return s
	}
	return lowerArticle(textsafe.Line(r.Title))
}

func tokenShort(r Result) string {
	switch r.Check {
	case TokenModule:
		switch r.Status {
		case Pass:
			return "driver caricato"
		case Fail:
			return "nessun driver del dispositivo di firma installato"
		}
	case TokenPresent:
		switch {
		case r.Status == Pass:
			return "dispositivo presente"
		case r.Status == Error:
			return "il dispositivo non risponde"
		case r.Status == Fail && r.Node == NodeNotRecognised:
			return "nessun dispositivo inserito"
		case r.Status == Fail && (r.Node == NodeInstall || r.Node == NodeUSBNoDriver):
			return "dispositivo collegato ma non letto dai driver"
		}
		// Any other failure (not initialised, the workstation's triage: no
		// smart-card service, an empty reader, a card the driver does not
		// know) says it best in its own title.
	case TokenPIN:
		return pinShort(r, "PIN", r.Facts[FactPINState])
	case TokenPUK:
		if r.Status == Skip {
			return ""
		}
		return pinShort(r, "PUK", r.Facts[FactPUKState])
	case TokenCertificate:
		return certShort(r, "certificato di firma", FactCertDaysLeft, FactCertNotAfter, FactCertStatus)
	case TokenCNS:
		return certShort(r, "certificato CNS", FactCNSDaysLeft, FactCNSNotAfter, FactCNSStatus)
	}
	return ""
}

// pinShort words the state of the PIN or of the PUK (what).
func pinShort(r Result, what, state string) string {
	switch {
	case r.Status == Pass:
		return what + " utilizzabile"
	case r.Node == NodePUKLocked && what == "PIN":
		return "PIN e PUK bloccati"
	case state == token.StateLocked.Italian():
		return what + " bloccato"
	case state == token.StateFinalTry.Italian():
		return "resta un solo tentativo per il " + what
	case state == token.StateToBeChanged.Italian():
		return "il " + what + " va cambiato"
	case state == token.StateCountLow.Italian():
		return "è stato inserito un " + what + " errato"
	case r.Status == Fail && what == "PIN":
		return "PIN non impostato"
	}
	return ""
}

// certShort words a certificate check from its days to expiry and date,
// else (a report that lacks them) from its status word.
func certShort(r Result, what, daysKey, dateKey, statusKey string) string {
	days, err := strconv.Atoi(r.Facts[daysKey])
	known := err == nil
	date := textsafe.Line(r.Facts[dateKey])
	status := r.Facts[statusKey]
	on := ""
	if date != "" {
		on = " il " + date
	}
	switch {
	case r.Status == Error:
		return what + " non leggibile"
	case r.Status == Pass && date != "":
		return what + " valido fino al " + date
	case r.Status == Pass:
		return what + " valido"
	case r.Status == Warn && known:
		return "il " + what + " " + expiresIn(days)
	case r.Status == Warn && date != "":
		return "il " + what + " scade il " + date
	case r.Status == Warn:
		return "il " + what + " è in scadenza"
	case r.Status == Fail && (known && days < 0 || !known && status == token.CertExpired.Italian()):
		return "il " + what + " è scaduto" + on
	case r.Status == Fail && (known || status == token.CertNotYetValid.Italian()):
		return "il " + what + " non è ancora valido"
	case r.Status == Fail:
		return "nessun " + what + " sul dispositivo"
	}
	return ""
}

// lowerArticle lower-cases the first word of a title so that it can
// follow a colon ("Problema: inserisci la smart card…"), unless it is a
// name: a word with a capital inside or a digit (PIN, GoSign, Bit4id), or
// a product whose name is one plain word.
func lowerArticle(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if i := strings.IndexAny(first, "'’"); i > 0 {
		first = first[:i] // L'orologio, Un'altra
	}
	r, n := utf8.DecodeRuneInString(first)
	if n == 0 || !unicode.IsUpper(r) || slices.Contains(plainNames, strings.Trim(first, ",.:;")) {
		return s
	}
	for _, c := range first[n:] {
		if unicode.IsUpper(c) || unicode.IsDigit(c) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// plainNames are names written as one plain capitalised word.
var plainNames = []string{"Firefox", "Chrome", "Chromium", "Edge", "Safari", "Opera", "Windows", "Linux", "Dike", "Wine", "Legalmail"}

// Capitalize upper-cases the first letter of s, to begin a line.
func Capitalize(s string) string { return capitalize(s) }
