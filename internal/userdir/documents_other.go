//go:build !unix && !windows

package userdir

// documents: no known documents folder on this system.
func documents() string { return "" }
