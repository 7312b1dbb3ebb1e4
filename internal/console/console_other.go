//go:build !windows

package console

import "io"

// unicodeOK: terminals here take UTF-8 (or say otherwise through the
// locale, which the Charm libraries read).
func unicodeOK(io.Writer) bool { return true }

// Save has nothing to do: Bubble Tea restores the terminal itself.
func Save(io.Reader, io.Writer) (restore func()) { return func() {} }
