//go:build !windows && !linux && !darwin

package station

import "context"

func readCertStores(ctx context.Context, o Options, c *CertStores) {
	c.Note = "archivi dei certificati non controllati su questo sistema"
}
