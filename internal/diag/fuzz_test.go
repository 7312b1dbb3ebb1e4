package diag_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/report"
	"github.com/sportello/sportello/internal/textsafe"
)

// FuzzReadReport: whatever the bytes, the reader never panics; it refuses
// with a ReadError whose message names the file and is safe for a
// terminal, or it accepts a report that every renderer prints without a
// raw control character and that reads back the same once written again.
// The seeds are the saved reports of every token state and bad inputs.
// Run by `make fuzz`.
func FuzzReadReport(f *testing.F) {
	for _, data := range savedReports(f) {
		f.Add(data)
	}
	small := savedReport(f, "nessun-dispositivo.json")
	for _, s := range []string{"", "{}", "[]", "null", `{"tool":"sportello","version":1}`, `{"tool":"sportello 9","version":2}`,
		"\xff\xfe{\x00}\x00", "\xef\xbb\xbf{", "Diagnosi del dispositivo di firma\n", "<?xml version=\"1.0\"?>", string(small[:len(small)/2]),
		string(small) + string(small)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := diag.DecodeReport("fuzz.json", data)
		if err != nil {
			var re *diag.ReadError
			if !errors.As(err, &re) || !strings.HasPrefix(re.Error(), "fuzz.json: ") || !textsafe.IsSafe(re.Error()) || re.Msg == "" {
				t.Fatalf("bad refusal %T %q", err, err)
			}
			return
		}
		for _, format := range report.Formats {
			var b bytes.Buffer
			if err := report.Write(&b, format, r, report.Options{Saved: true}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if !textsafe.IsSafeText(b.String()) {
				t.Fatalf("%s output not safe for a terminal: %q", format, b.String())
			}
			if format != "json" {
				continue
			}
			again, err := diag.DecodeReport("again.json", b.Bytes())
			if err != nil {
				t.Fatalf("an accepted report, written again, is refused: %v", err)
			}
			var b2 bytes.Buffer
			if err := again.WriteJSON(&b2); err != nil || !bytes.Equal(b.Bytes(), b2.Bytes()) {
				t.Fatalf("written twice, the JSON differs")
			}
		}
		for _, line := range []string{diag.StatusLine(r).Text, diag.PhoneLine(r)} {
			if !textsafe.IsSafe(line) {
				t.Fatalf("line not safe: %q", line)
			}
		}
	})
}
