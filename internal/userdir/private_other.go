//go:build !windows

package userdir

// Private does nothing here: sportello creates its files 0600 and its
// folders 0700.
func Private(string, bool) error { return nil }
