package station

import (
	"context"
)

// Browsers is the web browsers installed, and every Firefox profile with
// the PKCS#11 modules its NSS database loads: Firefox does not use the
// system's certificate store by itself on Linux, so the device's driver
// must be loaded in each profile for CNS login (INST-8).
type Browsers struct {
	Installed []Browser        `json:"installed"`        // always a list
	Firefox   []FirefoxProfile `json:"firefox_profiles"` // always a list
	Errors    []string         `json:"errors,omitempty"` // in Italian
}

// Browser is one installed browser.
type Browser struct {
	ID     string `json:"id"`   // "firefox", "chrome", "edge", "chromium", "brave", "opera", "safari"
	Name   string `json:"name"` // e.g. "Mozilla Firefox"
	Path   string `json:"path,omitempty"`
	Source string `json:"source"` // where it was found: a registry key, a path, "flatpak", "snap"
}

// FirefoxProfile is one Firefox profile of the user.
type FirefoxProfile struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	Default bool   `json:"default,omitempty"`
	NSS     NSSDB  `json:"nss"`
	// OSClientCerts is the profile's security.osclientcerts.autoload
	// ("on", "off", or "" when not set: Firefox's default, on in current
	// versions on Windows and macOS), which makes Firefox use the
	// system's certificate store as well.
	OSClientCerts string `json:"os_client_certs,omitempty"`
	LastVersion   string `json:"last_version,omitempty"` // the Firefox that last used it (compatibility.ini)
	Error         string `json:"error,omitempty"`        // unreadable folder, in Italian
}

// browserCatalogue names the browsers looked for, by id.
var browserNames = map[string]string{
	"firefox":  "Mozilla Firefox",
	"chrome":   "Google Chrome",
	"edge":     "Microsoft Edge",
	"chromium": "Chromium",
	"brave":    "Brave",
	"opera":    "Opera",
	"safari":   "Safari",
}

// addBrowser adds a browser once per id.
func (b *Browsers) addBrowser(id, path, source string) {
	for _, x := range b.Installed {
		if x.ID == id {
			return
		}
	}
	b.Installed = append(b.Installed, Browser{ID: id, Name: browserNames[id], Path: clip(path), Source: source})
}

func init() { gatherers = append(gatherers, gatherBrowsers) }

func gatherBrowsers(ctx context.Context, o Options) func(*Facts) {
	b := &Browsers{Installed: []Browser{}, Firefox: []FirefoxProfile{}}
	readBrowsers(ctx, o, b)
	for _, root := range firefoxRoots(o) {
		b.readFirefoxProfiles(ctx, o, root)
	}
	return func(f *Facts) { f.Browsers = b }
}
