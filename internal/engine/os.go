package engine

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/sportello/sportello/internal/flow"
)

// Nodes may give their text and steps per operating system (os: in a
// flow). The engine shows the variant of one system: the running one, or
// the one an operator chose (sportello --os) to guide a user on another.

// RunningOS is the system sportello runs on, "" for one flows have no
// variant for (the nodes then show their common text).
func RunningOS() flow.OS {
	return OSOf(runtime.GOOS)
}

// OSOf is the system of a GOOS name ("windows", "darwin", "linux"), ""
// for one flows have no variant for (a saved report's system).
func OSOf(goos string) flow.OS {
	switch goos {
	case "windows":
		return flow.Windows
	case "darwin":
		return flow.MacOS
	case "linux":
		return flow.Linux
	}
	return ""
}

// ParseOS reads the value of --os: windows, macos or linux (case folded;
// "mac" and "darwin" are not accepted, to keep one spelling).
func ParseOS(s string) (flow.OS, error) {
	v := flow.OS(strings.ToLower(strings.TrimSpace(s)))
	for _, o := range flow.OSes {
		if v == o {
			return o, nil
		}
	}
	return "", fmt.Errorf("sistema operativo «%s» sconosciuto: usa windows, macos o linux", s)
}

// OSName is the Italian display name of a system.
func OSName(o flow.OS) string {
	switch o {
	case flow.Windows:
		return "Windows"
	case flow.MacOS:
		return "macOS"
	case flow.Linux:
		return "Linux"
	}
	return "sistema non riconosciuto"
}

// SetOS chooses the system whose variants the walk shows.
func (e *Engine) SetOS(o flow.OS) { e.os = o }

// OS is the system whose variants the walk shows.
func (e *Engine) OS() flow.OS { return e.os }

// Text is n's text for the walk's system (raw flow text).
func (e *Engine) Text(n *flow.Node) string { return n.TextFor(e.os) }

// Steps are n's steps for the walk's system (raw flow text).
func (e *Engine) Steps(n *flow.Node) []string { return n.StepsFor(e.os) }

// VariantNote says whose instructions a node with variants shows, "" for a
// node without variants.
func (e *Engine) VariantNote(n *flow.Node) string {
	if len(n.OS) == 0 {
		return ""
	}
	if n.OS[e.os] != nil {
		return "Istruzioni per " + OSName(e.os) + "."
	}
	if e.os == "" {
		return "Istruzioni generali."
	}
	return "Istruzioni generali: non ce ne sono di specifiche per " + OSName(e.os) + "."
}
