package diag_test

import (
	"encoding/json"
	"testing"

	"github.com/sportello/sportello/internal/diag"
)

// BenchmarkDecodeReport reads a saved report of one device (about 12 KB)
// and one grown to the size limit (the token's certificates repeated
// until it is just under MaxReportSize): what a report costs to read, and
// the most a hostile one can cost.
func BenchmarkDecodeReport(b *testing.B) {
	one := savedReport(b, "pin-bloccato.json")
	var m map[string]any
	if err := json.Unmarshal(one, &m); err != nil {
		b.Fatal(err)
	}
	tok := m["modules"].([]any)[0].(map[string]any)["slots"].([]any)[0].(map[string]any)["token"].(map[string]any)
	certs := tok["certificates"].([]any)
	var big []byte
	for n := len(certs); ; n += n/8 + 1 {
		for len(certs) < n {
			certs = append(certs, certs[len(certs)%2])
		}
		tok["certificates"] = certs
		next, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			b.Fatal(err)
		}
		if len(next) > diag.MaxReportSize {
			break
		}
		big = next
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"one device", one}, {"at the limit", big}} {
		b.Run(c.name, func(b *testing.B) {
			b.Logf("%d bytes", len(c.data))
			if _, err := diag.DecodeReport("r", c.data); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				diag.DecodeReport("r", c.data)
			}
		})
	}
}
