package config

// Facts of the office configuration that a flow text may quote as {{key}}:
// the help desk's own contacts. A field the configuration does not give
// expands like any missing fact ("—"); the "Come contattare l'ufficio"
// block of escalation nodes is built from the same fields.
const (
	FactNome      = "ufficio.nome"
	FactTelefono  = "ufficio.telefono"
	FactEmail     = "ufficio.email"
	FactOrari     = "ufficio.orari"
	FactIndirizzo = "ufficio.indirizzo"
	FactSito      = "ufficio.sito"
)

// FactKeys lists every office fact, in the order of the contacts block.
var FactKeys = []string{FactNome, FactTelefono, FactEmail, FactOrari, FactIndirizzo, FactSito}
