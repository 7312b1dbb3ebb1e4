package station

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// macOS (on paper: compiled, not run here): the application bundles in
// /Applications and ~/Applications, named and versioned by their
// Info.plist, and the Bit4id library at the path the token discovery
// knows.

var darwinXPKIFiles = []string{"/Library/bit4id/pkcs11/libbit4xpki.dylib"}

func readSoftware(ctx context.Context, o Options, s *Software) {
	dirs := []scopedDir{{"/Applications", ScopeMachine}}
	if o.Home != "" {
		dirs = append(dirs, scopedDir{filepath.Join(o.Home, "Applications"), ScopeUser})
	}
	for _, d := range dirs {
		ents, err := os.ReadDir(o.path(d.dir))
		if err != nil {
			continue
		}
		s.Sources = append(s.Sources, d.dir)
		var found []installed
		for i, e := range ents {
			if i >= 5000 || ctx.Err() != nil {
				break
			}
			name, ok := strings.CutSuffix(e.Name(), ".app")
			if !ok {
				continue
			}
			s.Scanned++
			if _, known := lookup(name); !known {
				continue
			}
			bundle := filepath.Join(d.dir, e.Name())
			p := bundlePlist(o.path(bundle))
			if p.name != "" {
				name = p.name
			}
			found = append(found, installed{Name: name, Version: p.version, Scope: d.scope, Source: d.dir, Location: bundle})
		}
		s.classify(found)
		s.Scanned -= len(found)
	}
	for _, p := range darwinXPKIFiles {
		s.DriverFiles = append(s.DriverFiles, driverFile("xpki", p, o.path(p)))
	}
}
