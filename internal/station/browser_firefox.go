package station

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxProfiles bounds the Firefox profiles read from one profiles.ini.
const maxProfiles = 64

// iniSection is one [section] of an INI file, keys as written.
type iniSection struct {
	name string
	keys map[string]string
}

// parseINI reads a small INI file (profiles.ini, compatibility.ini): at
// most maxProfiles*4 sections, lines of key=value, ';' and '#' comments.
func parseINI(ctx context.Context, r io.Reader) []iniSection {
	var out []iniSection
	_ = lines(ctx, r, func(line []byte) bool {
		s := strings.TrimSpace(string(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))))
		switch {
		case s == "" || s[0] == ';' || s[0] == '#':
		case s[0] == '[' && strings.HasSuffix(s, "]"):
			if len(out) == maxProfiles*4 {
				return false
			}
			out = append(out, iniSection{name: s[1 : len(s)-1], keys: map[string]string{}})
		default:
			k, v, ok := strings.Cut(s, "=")
			if ok && len(out) > 0 && len(out[len(out)-1].keys) < 64 {
				out[len(out)-1].keys[strings.TrimSpace(k)] = clip(strings.TrimSpace(v))
			}
		}
		return true
	})
	return out
}

// readFirefoxProfiles adds the profiles listed in root/profiles.ini
// (root as shown; o.path(root) on disk).
func (b *Browsers) readFirefoxProfiles(ctx context.Context, o Options, root string) {
	f, err := os.Open(filepath.Join(o.path(root), "profiles.ini"))
	if err != nil {
		if !os.IsNotExist(err) {
			b.Errors = append(b.Errors, "profili di Firefox non leggibili ("+clip(root)+")")
		}
		return
	}
	sections := parseINI(ctx, io.LimitReader(f, 1<<20))
	f.Close()
	installDefaults := map[string]bool{}
	for _, s := range sections {
		if strings.HasPrefix(s.name, "Install") && s.keys["Default"] != "" {
			installDefaults[s.keys["Default"]] = true
		}
	}
	n := 0
	for _, s := range sections {
		if !strings.HasPrefix(s.name, "Profile") || s.keys["Path"] == "" {
			continue
		}
		if n == maxProfiles {
			b.Errors = append(b.Errors, "troppi profili di Firefox: letti i primi "+strconv.Itoa(maxProfiles))
			break
		}
		n++
		dir := s.keys["Path"]
		if s.keys["IsRelative"] != "0" {
			dir = filepath.Join(root, filepath.FromSlash(dir))
		}
		p := FirefoxProfile{Name: s.keys["Name"], Path: clip(dir),
			Default: s.keys["Default"] == "1" || installDefaults[s.keys["Path"]]}
		if p.Name == "" {
			p.Name = filepath.Base(dir)
		}
		fsDir := o.path(dir)
		if _, err := os.ReadDir(fsDir); err != nil {
			p.NSS = NSSDB{Path: p.Path, Format: "none", Modules: []NSSModule{}}
			if os.IsNotExist(err) {
				p.Error = "cartella del profilo assente"
			} else {
				p.Error = "cartella del profilo non leggibile"
			}
			b.Firefox = append(b.Firefox, p)
			continue
		}
		p.NSS = readNSSDB(ctx, p.Path, fsDir)
		p.OSClientCerts = osClientCerts(ctx, fsDir)
		p.LastVersion = lastVersion(ctx, fsDir)
		b.Firefox = append(b.Firefox, p)
	}
}

const osClientCertsPref = `"security.osclientcerts.autoload"`

// osClientCerts reads security.osclientcerts.autoload from the profile's
// user.js (which Firefox applies last) or prefs.js: "on", "off" or "".
func osClientCerts(ctx context.Context, dir string) string {
	for _, name := range []string{"user.js", "prefs.js"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		val := ""
		_ = lines(ctx, io.LimitReader(f, 32<<20), func(line []byte) bool {
			s := string(line)
			i := strings.Index(s, osClientCertsPref)
			if i < 0 || !strings.Contains(s[:i], "pref(") {
				return true
			}
			rest := strings.TrimSpace(s[i+len(osClientCertsPref):])
			rest = strings.TrimSpace(strings.TrimPrefix(rest, ","))
			switch {
			case strings.HasPrefix(rest, "true"):
				val = "on"
			case strings.HasPrefix(rest, "false"):
				val = "off"
			}
			return true // the last one wins
		})
		f.Close()
		if val != "" {
			return val
		}
	}
	return ""
}

// lastVersion is the Firefox version of compatibility.ini's LastVersion
// ("128.0.3_20240710000000/20240710000000" gives "128.0.3").
func lastVersion(ctx context.Context, dir string) string {
	f, err := os.Open(filepath.Join(dir, "compatibility.ini"))
	if err != nil {
		return ""
	}
	defer f.Close()
	for _, s := range parseINI(ctx, io.LimitReader(f, 64<<10)) {
		if v := s.keys["LastVersion"]; s.name == "Compatibility" && v != "" {
			v, _, _ = strings.Cut(v, "_")
			return v
		}
	}
	return ""
}
