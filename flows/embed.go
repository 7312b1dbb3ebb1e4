// Package flows embeds the decision trees shipped with sportello. The YAML
// files beside this one are the product's knowledge; their format is
// described in README.md in this directory. flows.snapshot is the same set
// already loaded (see flow.LoadSnapshot), made from the YAML by
// `go test ./internal/flow -run TestSnapshot -update-snapshot` and used only while it
// matches it.
package flows

import "embed"

// FS holds every *.yaml file of this directory.
//
//go:embed *.yaml
var FS embed.FS

// Snapshot is the set of FS already loaded and validated.
//
//go:embed flows.snapshot
var Snapshot []byte
