// Package config owns the office configuration: the YAML file in which a
// help desk gives sportello its own contacts (ufficio:) and the settings
// other parts need (gosign.versione_minima). It finds the file, reads it
// strictly (every problem as file:line: message, in Italian) and exposes
// the contacts as facts for flow texts.
package config
