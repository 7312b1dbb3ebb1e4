package station

import "context"

// macOS (on paper): Safari and Chrome use the Keychain, through the
// device's CryptoTokenKit driver; it is not read.
func readCertStores(ctx context.Context, o Options, c *CertStores) {
	c.Note = "su macOS il Portachiavi non viene controllato da sportello"
}
