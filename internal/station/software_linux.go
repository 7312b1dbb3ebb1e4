package station

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Linux: the dpkg database (Debian, Ubuntu and their derivatives), the
// folder InfoCert's GoSign .deb installs, Flatpak apps, and the Bit4id
// libraries at the paths the token discovery knows. Other package
// databases (rpm) are not read: then "not found" is only "not found in
// the known places", and the checks say so.

// linuxGoSignDirs are where GoSign Desktop lives outside a package
// database: the .deb's folder (AUR PKGBUILD "gosign": /usr/lib/gosigndesktop).
var linuxGoSignDirs = []scopedDir{{"/usr/lib/gosigndesktop", ScopeMachine}}

// linuxXPKIFiles are the Bit4id xPKI libraries the token discovery tries.
var linuxXPKIFiles = []string{"/usr/lib/libbit4xpki.so", "/usr/lib/bit4id/libbit4xpki.so"}

// flatpakDirs hold installed Flatpak apps, system-wide and per user.
func flatpakDirs(o Options) []scopedDir {
	out := []scopedDir{{o.path("/var/lib/flatpak/app"), ScopeMachine}}
	if o.Home != "" {
		out = append(out, scopedDir{o.path(filepath.Join(o.Home, ".local/share/flatpak/app")), ScopeUser})
	}
	return out
}

func readSoftware(ctx context.Context, o Options, s *Software) {
	readDpkg(ctx, o, s)
	s.Sources = append(s.Sources, "cartelle note")
	s.addGoSignFolders(o, linuxGoSignDirs, electronVersion)
	for _, fd := range flatpakDirs(o) {
		ents, err := os.ReadDir(fd.dir)
		if err != nil {
			continue
		}
		var n []installed
		for i, e := range ents {
			if i >= 5000 {
				break
			}
			n = append(n, installed{Name: flatpakName(e.Name()), Scope: fd.scope, Source: "flatpak", Location: filepath.Join(fd.dir, e.Name())})
		}
		s.classify(n)
	}
	for _, p := range linuxXPKIFiles {
		s.DriverFiles = append(s.DriverFiles, driverFile("xpki", p, o.path(p)))
	}
}

// flatpakName is the last part of a Flatpak app id
// ("it.infocert.GoSignDesktop" → "GoSignDesktop"), which the catalogue
// matches.
func flatpakName(id string) string {
	if i := strings.LastIndexByte(id, '.'); i >= 0 {
		return id[i+1:]
	}
	return id
}

func readDpkg(ctx context.Context, o Options, s *Software) {
	f, err := os.Open(o.path(dpkgStatus))
	if errors.Is(err, fs.ErrNotExist) {
		return // not a dpkg system
	}
	if err != nil {
		s.Errors = append(s.Errors, "database dei pacchetti dpkg non leggibile ("+dpkgStatus+")")
		return
	}
	defer f.Close()
	found, n, err := parseDpkgStatus(ctx, f)
	if err != nil {
		s.Errors = append(s.Errors, "lettura interrotta del database dei pacchetti dpkg ("+dpkgStatus+")")
	}
	s.Sources = append(s.Sources, "dpkg")
	s.classify(found)
	s.Scanned += n - len(found)
}

// electronVersion reads the "version" of an Electron app's
// resources/app/package.json, when there is one ("" otherwise).
func electronVersion(dir string) string {
	f, err := os.Open(filepath.Join(dir, "resources/app/package.json"))
	if err != nil {
		return ""
	}
	defer f.Close()
	var pkg struct {
		Version string `json:"version"`
	}
	if json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&pkg) != nil {
		return ""
	}
	return clip(pkg.Version)
}
