// Package flows embeds the decision trees shipped with sportello. The YAML
// files beside this one are the product's knowledge; their format is
// described in README.md in this directory.
package flows

import "embed"

// FS holds every *.yaml file of this directory.
//
//go:embed *.yaml
var FS embed.FS
