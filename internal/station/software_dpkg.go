package station

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
)

// dpkgStatus is the dpkg database of installed packages (Debian, Ubuntu).
const dpkgStatus = "/var/lib/dpkg/status"

// maxLine is the longest line of a file read line by line; the rest of a
// longer line is skipped, so a garbage file cannot make us hold it whole.
const maxLine = 64 << 10

// lines calls fn with each line of r (without its newline), skipping the
// part of a line beyond maxLine, until fn returns false, r ends or ctx
// is done.
func lines(ctx context.Context, r io.Reader, fn func(line []byte) bool) error {
	br := bufio.NewReaderSize(r, maxLine)
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			line = append([]byte(nil), line...) // the next reads reuse the buffer
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
		}
		if err != nil && err != io.EOF {
			return err
		}
		if len(line) > 0 && !fn(bytes.TrimRight(line, "\r\n")) {
			return nil
		}
		if err == io.EOF {
			return nil
		}
	}
}

// parseDpkgStatus reads a dpkg status file and returns the installed
// packages that the catalogue knows; every stanza is counted in scanned.
// Only the few fields a stanza needs are kept while it is read.
func parseDpkgStatus(ctx context.Context, r io.Reader) (found []installed, scanned int, err error) {
	var pkg, status, version, maint string
	known := false // pkg is in the catalogue: only then are its fields kept
	flush := func() {
		if pkg != "" {
			scanned++
			// "install ok installed", "hold ok installed"; a removed package
			// leaves "deinstall ok config-files".
			if f := strings.Fields(status); known && len(f) == 3 && f[2] == "installed" {
				found = append(found, installed{Name: pkg, Version: version, Publisher: maint, Scope: ScopeMachine, Source: "dpkg"})
			}
		}
		pkg, status, version, maint, known = "", "", "", "", false
	}
	err = lines(ctx, r, func(line []byte) bool {
		if len(bytes.TrimSpace(line)) == 0 {
			flush()
			return true
		}
		if line[0] == ' ' || line[0] == '\t' { // continuation of a field
			return true
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return true
		}
		if string(k) == "Package" {
			pkg = clip(string(bytes.TrimSpace(v)))
			_, known = lookup(pkg)
			return true
		}
		if !known {
			return true
		}
		val := clip(string(bytes.TrimSpace(v)))
		switch string(k) {
		case "Status":
			status = val
		case "Version":
			version = val
		case "Maintainer":
			maint = val
		}
		return true
	})
	flush()
	return found, scanned, err
}
