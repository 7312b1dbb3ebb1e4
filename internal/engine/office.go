package engine

import (
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/flow"
)

// The office's own contacts come from its configuration (package config).
// Flow texts may quote them as {{ufficio.*}} facts, and every escalation
// node shows them in a block of its own, so that no flow text has to
// carry a phone number, and none is ever made up: without a configuration
// the block says whom to ask instead.

// ContactsTitle heads the contacts block of escalation nodes.
const ContactsTitle = "Come contattare l'ufficio"

// NoContacts is the block's text when the office's contacts are not
// configured.
const NoContacts = "Contatta l'ufficio che ti ha rilasciato il dispositivo o le credenziali (SPID, PEC): i suoi recapiti non sono configurati in sportello."

// SecretsWarning closes the block: nobody, the office included, may be
// told a secret.
const SecretsWarning = "Non comunicare a nessuno, nemmeno all'ufficio, password, PIN, PUK o codici OTP."

// SetOffice gives the walk the office's contacts (nil: not configured):
// the {{ufficio.*}} facts and the contacts block.
func (e *Engine) SetOffice(o *config.Office) {
	for _, k := range config.FactKeys {
		delete(e.facts, k)
	}
	e.office = o
	if o != nil {
		for k, v := range o.Facts() {
			e.facts[k] = v
		}
	}
}

// Office returns the office's contacts, nil when not configured.
func (e *Engine) Office() *config.Office { return e.office }

// ShowsContacts reports whether n shows the contacts block: every
// escalation end node does, and an end node with contacts: true.
func ShowsContacts(n *flow.Node) bool {
	return n != nil && n.Type == flow.End && (n.Result == flow.Escalate || n.Contacts)
}

// Contacts are the lines of the contacts block: the configured fields,
// one per line, or NoContacts; then SecretsWarning. The values come from a
// file: renderers pass them through textsafe like flow text.
func (e *Engine) Contacts() []string {
	var out []string
	o := e.office
	if o != nil {
		for _, f := range []struct{ label, value string }{
			{"", o.Nome}, {"Telefono: ", o.Telefono}, {"E-mail: ", o.Email}, {"Orari: ", o.Orari},
			{"Indirizzo: ", o.Indirizzo}, {"Sito: ", o.Sito},
		} {
			if f.value != "" {
				out = append(out, f.label+f.value)
			}
		}
	}
	if o == nil || !o.HasContacts() {
		out = append(out, NoContacts)
	}
	return append(out, SecretsWarning)
}
