//go:build !windows && !linux && !darwin

package station

import "context"

func readBrowsers(ctx context.Context, o Options, b *Browsers) {
	b.Errors = append(b.Errors, "browser non controllati su questo sistema")
}

func firefoxRoots(o Options) []string { return nil }
