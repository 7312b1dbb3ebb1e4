package station

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// Windows: the browsers registered for the Start menu
// (SOFTWARE\Clients\StartMenuInternet, where every browser installer
// registers itself: HKLM in both views and HKCU), and Firefox's profiles
// under %APPDATA%\Mozilla\Firefox.

const startMenuInternet = `SOFTWARE\Clients\StartMenuInternet`

// windowsBrowserIDs maps the normalised StartMenuInternet key name
// ("Firefox-308046B0AF4A39CB", "Google Chrome", "Microsoft Edge") to an id.
var windowsBrowserIDs = []struct{ prefix, id string }{
	{"firefox", "firefox"}, {"mozillafirefox", "firefox"},
	{"googlechrome", "chrome"}, {"chrome", "chrome"},
	{"microsoftedge", "edge"}, {"msedge", "edge"},
	{"chromium", "chromium"}, {"brave", "brave"}, {"opera", "opera"},
}

func readBrowsers(ctx context.Context, o Options, b *Browsers) {
	views := []struct {
		root   registry.Key
		access uint32
		source string
	}{
		{registry.LOCAL_MACHINE, registry.WOW64_64KEY, `HKLM\` + startMenuInternet},
		{registry.LOCAL_MACHINE, registry.WOW64_32KEY, `HKLM\` + startMenuInternet + " (32 bit)"},
		{registry.CURRENT_USER, 0, `HKCU\` + startMenuInternet},
	}
	for _, v := range views {
		k, err := registry.OpenKey(v.root, startMenuInternet, registry.ENUMERATE_SUB_KEYS|v.access)
		if err != nil {
			if !errors.Is(err, registry.ErrNotExist) {
				b.Errors = append(b.Errors, "registro dei browser non leggibile ("+v.source+")")
			}
			continue
		}
		names, err := k.ReadSubKeyNames(256)
		if err != nil && !errors.Is(err, io.EOF) {
			b.Errors = append(b.Errors, "registro dei browser non leggibile ("+v.source+")")
		}
		for _, name := range names {
			n := normalise(clip(name))
			for _, m := range windowsBrowserIDs {
				if strings.HasPrefix(n, m.prefix) {
					b.addBrowser(m.id, browserCommand(k, name, v.access), v.source)
					break
				}
			}
		}
		k.Close()
	}
}

// browserCommand is the browser's shell\open\command, "" when unreadable.
func browserCommand(k registry.Key, name string, access uint32) string {
	sk, err := registry.OpenKey(k, name+`\shell\open\command`, registry.QUERY_VALUE|access)
	if err != nil {
		return ""
	}
	defer sk.Close()
	cmd := regText(sk, "")
	if rest, ok := strings.CutPrefix(cmd, `"`); ok {
		cmd, _, _ = strings.Cut(rest, `"`)
	}
	return cmd
}

func firefoxRoots(o Options) []string {
	if ad := os.Getenv("APPDATA"); ad != "" {
		return []string{ad + `\Mozilla\Firefox`}
	}
	return nil
}
