//go:build !windows

package station

// smartCardService is Windows-only: elsewhere the daemon is reached only
// through the PC/SC library.
func smartCardService() *Service { return nil }
