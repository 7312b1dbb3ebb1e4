package station

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxNSSModules bounds the modules read from one pkcs11.txt.
const maxNSSModules = 256

// readNSSDB reads the NSS database in dir (fsDir: where it is on disk).
// pkcs11.txt (the "sql" format of cert9.db and key4.db, NSS 3.35 and
// later, Firefox 58 and later) is text and is read; an old "dbm" database
// keeps its modules in the Berkeley DB secmod.db, which is not read.
func readNSSDB(ctx context.Context, dir, fsDir string) NSSDB {
	db := NSSDB{Path: dir, Format: "none", Modules: []NSSModule{}}
	f, err := os.Open(filepath.Join(fsDir, "pkcs11.txt"))
	switch {
	case err == nil:
		defer f.Close()
		db.Format = "sql"
		db.Modules, err = parsePKCS11Txt(ctx, io.LimitReader(f, 4<<20))
		if err != nil {
			db.Error = "pkcs11.txt non leggibile fino in fondo"
		}
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Stat(filepath.Join(fsDir, "secmod.db")); err == nil {
			db.Format = "dbm"
		}
	default:
		db.Format = "sql"
		db.Error = "pkcs11.txt non leggibile (permessi?)"
	}
	return db
}

// parsePKCS11Txt reads NSS's pkcs11.txt: blocks of key=value lines, one
// block per module, separated by blank lines; "library=" names the
// shared library ("" for the internal module) and "name=" the module.
// Lines that are not key=value are ignored, so garbage gives no modules
// rather than an error.
func parsePKCS11Txt(ctx context.Context, r io.Reader) ([]NSSModule, error) {
	mods := []NSSModule{}
	var cur NSSModule
	sawLib, sawName := false, false
	flush := func() {
		if (sawLib || sawName) && len(mods) < maxNSSModules {
			mods = append(mods, cur)
		}
		cur, sawLib, sawName = NSSModule{}, false, false
	}
	err := lines(ctx, r, func(line []byte) bool {
		s := strings.TrimSpace(string(line))
		if s == "" {
			flush()
			return true
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return true
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "library":
			if sawLib {
				flush() // a new block without a blank line between
			}
			cur.Library, sawLib = clip(v), true
		case "name":
			if sawName {
				flush()
			}
			cur.Name, sawName = clip(v), true
		}
		return true
	})
	flush()
	return mods, err
}
