package flows

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
)

// noSecrets is the warning every escalation carries: nobody, the office
// included, ever needs the user's password, PIN, PUK or OTP.
const noSecrets = "Non comunicare a nessuno, neanche all'ufficio, password, PIN, PUK o codici OTP."

// serviceAddresses are the only e-mail addresses a text may quote: senders
// the user must recognise (GS-5.1), not an office's contacts, which the
// office configuration supplies.
var serviceAddresses = map[string]bool{"gosign@infocert.it": true}

var (
	urlRef   = regexp.MustCompile(`https?://\S+`)
	emailRef = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	// phoneRef is eight digits or more, possibly split by spaces, dots,
	// dashes or slashes: a phone number, never a version or a date.
	phoneRef = regexp.MustCompile(`\+?\d(?:[ ./-]?\d){7,}`)
	spaces   = regexp.MustCompile(`\s+`)
)

// nodeTexts is everything a user reads on a node, on any system.
func nodeTexts(n *flow.Node) []string {
	texts := append([]string{n.Title, n.Text}, n.Steps...)
	for _, c := range n.Choices {
		texts = append(texts, c.Label)
	}
	for _, v := range n.OS {
		texts = append(append(texts, v.Text), v.Steps...)
	}
	return texts
}

// contentProblems reports escalations without the warning about secrets,
// nodes whose OS variants leave a system out (its users would read the
// general text, announced as such), and texts that quote a phone number or
// an e-mail address of their own.
func contentProblems(set *flow.Set) []string {
	var out []string
	for _, f := range set.Flows {
		for _, nid := range f.NodeIDs {
			n := f.Nodes[nid]
			where := f.ID + ":" + nid
			if n.Type == flow.End && n.Result == flow.Escalate {
				for _, os := range append([]flow.OS{""}, flow.OSes...) {
					plain := spaces.ReplaceAllString(strings.ReplaceAll(n.TextFor(os), "**", ""), " ")
					if !strings.Contains(plain, noSecrets) {
						out = append(out, where+" escalates without the warning about passwords, PINs, PUKs and OTPs")
						break
					}
				}
			}
			if len(n.OS) > 0 {
				for _, os := range flow.OSes {
					if n.OS[os] == nil {
						out = append(out, fmt.Sprintf("%s has OS variants but none for %s", where, os))
					}
				}
			}
			for _, text := range nodeTexts(n) {
				text = urlRef.ReplaceAllString(text, "")
				for _, m := range emailRef.FindAllString(text, -1) {
					if !serviceAddresses[strings.ToLower(m)] {
						out = append(out, fmt.Sprintf("%s quotes the e-mail address %s (use «contatta l'ufficio»)", where, m))
					}
				}
				for _, m := range phoneRef.FindAllString(text, -1) {
					out = append(out, fmt.Sprintf("%s quotes the number %q (use «contatta l'ufficio»)", where, m))
				}
			}
		}
	}
	return out
}

func TestContentRules(t *testing.T) {
	for _, p := range contentProblems(loadEmbedded(t)) {
		t.Error(p)
	}
}

// The rules above must be able to fail.
func TestContentRulesFindFaults(t *testing.T) {
	src := `id: prova
title: Prova
description: Percorso di prova
start: domanda
nodes:
  domanda:
    type: question
    title: Domanda
    text: Scrivi a gosign@infocert.it oppure a sportello@comune.esempio.it.
    choices:
      - label: Chiama lo 0123 456789
        goto: aiuto
      - label: Versione 1.4.10.598, https://www.example.it/a/123456789
        goto: bene
  aiuto:
    type: end
    result: escalate
    title: Aiuto
    text: Contatta l'ufficio e digli il PIN.
  bene:
    type: end
    result: escalate
    title: Bene
    text: |
      Contatta l'ufficio.

      **Non comunicare a nessuno**, neanche all'ufficio, password, PIN,
      PUK o codici OTP.
    os:
      windows: { text: "Contatta l'ufficio." }
`
	set, ps := flow.Load([]flow.File{{Name: "prova.yaml", Data: []byte(src)}}, check.Known)
	if len(ps) > 0 {
		t.Fatalf("fixture does not lint: %v", ps)
	}
	got := contentProblems(set)
	want := []string{
		"prova:domanda quotes the e-mail address sportello@comune.esempio.it (use «contatta l'ufficio»)",
		`prova:domanda quotes the number "0123 456789" (use «contatta l'ufficio»)`,
		"prova:aiuto escalates without the warning about passwords, PINs, PUKs and OTPs",
		"prova:bene escalates without the warning about passwords, PINs, PUKs and OTPs",
		"prova:bene has OS variants but none for macos",
		"prova:bene has OS variants but none for linux",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("contentProblems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGoSignBorrowingsComeBack: the signing guide borrows the SPID, device,
// PIN and installation advice of other flows; each such choice is a visit,
// so that the user comes back to the signing step once the advice is done.
func TestGoSignBorrowingsComeBack(t *testing.T) {
	set := loadEmbedded(t)
	visits := 0
	for _, nid := range set.Flow("gosign").NodeIDs {
		n := set.Node("gosign", nid)
		for _, c := range n.Choices {
			if c.Resume || c.Goto.Flow == "gosign" {
				continue
			}
			if !c.Visit {
				t.Errorf("gosign:%s «%s» goes to %s and never comes back: make it a visit", nid, c.Label, c.Goto)
				continue
			}
			visits++
		}
	}
	if visits == 0 {
		t.Error("gosign borrows no advice from another flow")
	}
}
