package station

import (
	"context"
	"path/filepath"
)

// Linux: the shared NSS database of Chrome and Chromium, ~/.pki/nssdb.
// (Firefox keeps one per profile: see Browsers.)
func readCertStores(ctx context.Context, o Options, c *CertStores) {
	if o.Home == "" {
		c.Note = "cartella dell'utente non nota: ~/.pki/nssdb non controllato"
		return
	}
	dir := filepath.Join(o.Home, ".pki", "nssdb")
	c.NSS = append(c.NSS, readNSSDB(ctx, dir, o.path(dir)))
}
