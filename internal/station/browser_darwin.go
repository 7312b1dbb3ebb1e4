package station

import (
	"context"
	"os"
	"path/filepath"
)

// macOS (on paper): the browsers' application bundles, and Firefox's
// profiles under ~/Library/Application Support/Firefox.

var darwinBrowsers = []struct{ id, path string }{
	{"firefox", "/Applications/Firefox.app"},
	{"chrome", "/Applications/Google Chrome.app"},
	{"edge", "/Applications/Microsoft Edge.app"},
	{"chromium", "/Applications/Chromium.app"},
	{"brave", "/Applications/Brave Browser.app"},
	{"opera", "/Applications/Opera.app"},
	{"safari", "/Applications/Safari.app"},
}

func readBrowsers(ctx context.Context, o Options, b *Browsers) {
	for _, x := range darwinBrowsers {
		if _, err := os.Stat(o.path(x.path)); err == nil {
			b.addBrowser(x.id, x.path, x.path)
		}
	}
}

func firefoxRoots(o Options) []string {
	if o.Home == "" {
		return nil
	}
	return []string{filepath.Join(o.Home, "Library/Application Support/Firefox")}
}
