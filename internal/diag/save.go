package diag

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/sportello/sportello/internal/userdir"
)

// SaveOptions say where and how SaveForOffice writes a report.
type SaveOptions struct {
	// Dir is the folder to write in. Empty means the user's documents
	// folder, where the user finds the file to send it, else (no such
	// folder) sportello's state folder.
	Dir string
	// Redact masks codici fiscali and serial numbers in the file, with the
	// masks of diagnose --redact; the report passed in is not changed.
	Redact bool
}

// Saved is what SaveForOffice wrote.
type Saved struct {
	Path     string // the new file
	Redacted bool   // the file masks codici fiscali and serial numbers
	// Line is PhoneLine of the report as written (so masked with it): what
	// the user reads out to the office.
	Line string
}

// SaveForOffice writes r as JSON (the bytes of `diagnose --format json`)
// to a new file rapporto-sportello-YYYYMMDD-HHMMSS.json, named after when
// the report was made, readable only by the user, never over another file
// (a -2, -3... suffix instead). The message of an error is Italian.
func SaveForOffice(r *Report, o SaveOptions) (Saved, error) {
	out := r
	if o.Redact && !r.Redacted {
		out = Masked(r)
	}
	var buf bytes.Buffer
	if err := out.WriteJSON(&buf); err != nil {
		return Saved{}, err
	}
	dir := o.Dir
	if dir == "" {
		var ok bool
		if dir, ok = userdir.Documents(); !ok {
			var err error
			if dir, err = userdir.State(); err != nil {
				return Saved{}, err
			}
		}
	}
	at := r.GeneratedAt
	if at.IsZero() {
		at = time.Now()
	}
	path, err := userdir.WriteNew(dir, "rapporto-sportello-"+at.Local().Format("20060102-150405"), ".json", buf.Bytes())
	if err != nil {
		return Saved{}, err
	}
	return Saved{Path: path, Redacted: out.Redacted, Line: PhoneLine(out)}, nil
}

// Masked returns a copy of r with codici fiscali and serial numbers
// masked, as diagnose --redact masks them; r is not changed.
func Masked(r *Report) *Report {
	var buf bytes.Buffer
	c := new(Report)
	if r.WriteJSON(&buf) != nil || json.Unmarshal(buf.Bytes(), c) != nil {
		// A report always encodes and decodes; should it not, mask in
		// place rather than write anything in clear.
		c = r
	}
	redact(c)
	return c
}
