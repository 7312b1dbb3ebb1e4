package station

import (
	"context"
	"os"
	"path/filepath"
)

// Linux: browsers by their usual executables (Debian and Ubuntu
// packages, vendors' .deb, Snap, Flatpak), and Firefox's profile folders
// (the .deb's, the Snap's, the Flatpak's).

var linuxBrowsers = []struct{ id, path string }{
	{"firefox", "/usr/bin/firefox"},
	{"firefox", "/usr/bin/firefox-esr"},
	{"firefox", "/usr/lib/firefox/firefox"},
	{"firefox", "/usr/lib/firefox-esr/firefox-esr"},
	{"firefox", "/snap/bin/firefox"},
	{"firefox", "/var/lib/flatpak/app/org.mozilla.firefox"},
	{"chrome", "/usr/bin/google-chrome"},
	{"chrome", "/usr/bin/google-chrome-stable"},
	{"chrome", "/opt/google/chrome/chrome"},
	{"chromium", "/usr/bin/chromium"},
	{"chromium", "/usr/bin/chromium-browser"},
	{"chromium", "/snap/bin/chromium"},
	{"chromium", "/var/lib/flatpak/app/org.chromium.Chromium"},
	{"edge", "/usr/bin/microsoft-edge"},
	{"edge", "/usr/bin/microsoft-edge-stable"},
	{"brave", "/usr/bin/brave-browser"},
	{"opera", "/usr/bin/opera"},
}

func readBrowsers(ctx context.Context, o Options, b *Browsers) {
	for _, x := range linuxBrowsers {
		if _, err := os.Stat(o.path(x.path)); err == nil {
			b.addBrowser(x.id, x.path, x.path)
		}
	}
	if o.Home != "" {
		for id, app := range map[string]string{"firefox": "org.mozilla.firefox", "chromium": "org.chromium.Chromium"} {
			p := filepath.Join(o.Home, ".local/share/flatpak/app", app)
			if _, err := os.Stat(o.path(p)); err == nil {
				b.addBrowser(id, p, "flatpak")
			}
		}
	}
}

// firefoxRoots are the folders holding a profiles.ini.
func firefoxRoots(o Options) []string {
	if o.Home == "" {
		return nil
	}
	return []string{
		filepath.Join(o.Home, ".mozilla/firefox"),
		filepath.Join(o.Home, "snap/firefox/common/.mozilla/firefox"),
		filepath.Join(o.Home, ".var/app/org.mozilla.firefox/.mozilla/firefox"),
	}
}
