package diag_test

// Tests of the report reader on saved reports made by the real binary
// (testdata/reports, written by cmd/sportello's TestReportRoundTrip
// -update) and on every kind of bad input.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/report"
	"github.com/sportello/sportello/internal/textsafe"
)

// savedReports are the saved reports of every token state.
func savedReports(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "reports", "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("saved reports: %v, %d files", err, len(files))
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = data
	}
	return out
}

func savedReport(t testing.TB, name string) []byte {
	t.Helper()
	data, ok := savedReports(t)[name]
	if !ok {
		t.Fatalf("no saved report %s", name)
	}
	return data
}

func TestReadSavedReports(t *testing.T) {
	for name, data := range savedReports(t) {
		path := filepath.Join("testdata", "reports", name)
		r, err := diag.ReadReport(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var out bytes.Buffer
		if err := r.WriteJSON(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Errorf("%s: read and written again, the JSON differs", name)
		}
	}
}

// mutate decodes a report as generic JSON, lets edit change it and
// encodes it again.
func mutate(t *testing.T, data []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checks(m map[string]any) []any { return m["checks"].([]any) }

func checkAt(m map[string]any, i int) map[string]any { return checks(m)[i].(map[string]any) }

func firstCert(m map[string]any) map[string]any {
	for _, mod := range m["modules"].([]any) {
		for _, s := range mod.(map[string]any)["slots"].([]any) {
			if tok, ok := s.(map[string]any)["token"].(map[string]any); ok {
				if cs, ok := tok["certificates"].([]any); ok && len(cs) > 0 {
					return cs[0].(map[string]any)
				}
			}
		}
	}
	panic("no certificate")
}

func firstToken(m map[string]any) map[string]any {
	for _, mod := range m["modules"].([]any) {
		for _, s := range mod.(map[string]any)["slots"].([]any) {
			if tok, ok := s.(map[string]any)["token"].(map[string]any); ok {
				return tok
			}
		}
	}
	panic("no token")
}

// goEnglish are fragments of Go's and encoding/json's error texts.
var goEnglish = []string{"json:", "JSON input", "invalid", "unexpected", "cannot", "EOF", "unmarshal", "character", "syntax", "looking for", "no such file", "permission denied", "is a directory"}

// readErr checks that err is a ReadError of kind with an Italian message
// naming the file, safe for a terminal, with no Go text.
func readErr(t *testing.T, what string, err error, file string, kind diag.ReadErrorKind, want string) *diag.ReadError {
	t.Helper()
	var re *diag.ReadError
	if !errors.As(err, &re) {
		t.Errorf("%s: error %v (%T), want a ReadError %s", what, err, err, kind)
		return nil
	}
	msg := re.Error()
	if re.Kind != kind || !strings.HasPrefix(msg, file+": ") || !strings.Contains(msg, want) {
		t.Errorf("%s: %s %q, want %s with %q", what, re.Kind, msg, kind, want)
	}
	if !textsafe.IsSafe(msg) {
		t.Errorf("%s: message not safe for a terminal: %q", what, msg)
	}
	for _, w := range goEnglish {
		if strings.Contains(strings.TrimPrefix(msg, file), w) {
			t.Errorf("%s: Go's English %q in %q", what, w, msg)
		}
	}
	return re
}

func TestReadBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	huge := filepath.Join(dir, "enorme.json")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(diag.MaxReportSize + 1); err != nil { // sparse: costs nothing
		t.Fatal(err)
	}
	f.Close()
	var text, junit bytes.Buffer
	r, err := diag.DecodeReport("x", savedReport(t, "pin-bloccato.json"))
	if err != nil {
		t.Fatal(err)
	}
	_ = report.Text(&text, r, report.Options{})
	_ = report.JUnit(&junit, r)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0, 0xff, 0x13}, 200)...)
	gzip := []byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd}

	for _, c := range []struct {
		name, path string
		kind       diag.ReadErrorKind
		want       string
	}{
		{"missing", filepath.Join(dir, "manca.json"), diag.ReadFailed, "il file non esiste"},
		{"directory", dir, diag.ReadFailed, "è una cartella"},
		{"device", os.DevNull, diag.ReadFailed, "non è un file normale"},
		{"huge", huge, diag.ReadTooLarge, "il file è troppo grande per essere un rapporto di sportello (4,0 MB; il limite è 4 MB)"},
		{"empty", write("vuoto.json", nil), diag.ReadNotReport, "il file è vuoto"},
		{"blank", write("bianco.json", []byte(" \n\r\n\t")), diag.ReadNotReport, "il file è vuoto"},
		{"binary", write("prog.json", elf), diag.ReadNotReport, "non è un rapporto di sportello: non contiene JSON"},
		{"gzip", write("r.json.gz", gzip), diag.ReadNotReport, "non contiene JSON"},
		{"text report", write("r.txt", text.Bytes()), diag.ReadNotReport, "è il rapporto in formato testo: serve quello in formato JSON"},
		{"junit report", write("r.xml", junit.Bytes()), diag.ReadNotReport, "è un file XML"},
	} {
		_, err := diag.ReadReport(c.path)
		readErr(t, c.name, err, c.path, c.kind, c.want)
	}
	if os.Geteuid() != 0 { // root reads anything
		p := write("privato.json", savedReport(t, "pin-bloccato.json"))
		os.Chmod(p, 0)
		_, err := diag.ReadReport(p)
		readErr(t, "unreadable", err, p, diag.ReadFailed, "non hai il permesso di leggere il file")
	}
}

// countingReader is an endless stream of zeros that counts what is read.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	clear(p)
	c.n += int64(len(p))
	return len(p), nil
}

func TestReadFromIsBounded(t *testing.T) {
	var c countingReader
	_, err := diag.ReadReportFrom("stdin", &c)
	readErr(t, "endless stdin", err, "stdin", diag.ReadTooLarge, "più di 4 MB")
	if c.n > diag.MaxReportSize+64<<10 {
		t.Errorf("read %d bytes of an endless stream", c.n)
	}
	_, err = diag.ReadReportFrom("stdin", io.MultiReader(strings.NewReader("{"), iotestErr{}))
	readErr(t, "failing stdin", err, "stdin", diag.ReadFailed, "la lettura si è interrotta")
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("read failed") }

func TestDecodeBadReports(t *testing.T) {
	good := savedReport(t, "pin-bloccato.json")
	lines := bytes.Split(good, []byte("\n"))
	half := len(good) / 2
	utf16le := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(string(good))) {
		utf16le = append(utf16le, byte(u), byte(u>>8))
	}
	badUTF8 := bytes.Replace(good, []byte(`"label": "Firma Test"`), []byte("\"label\": \"Firma \xff\xfe Test\""), 1)
	statusLine := 1 + bytes.Count(good[:bytes.Index(good, []byte(`"status": "fail"`))], []byte("\n"))
	dupCheck := func(m map[string]any) { m["checks"] = append(checks(m), checkAt(m, 2)) }

	for _, c := range []struct {
		name string
		data []byte
		kind diag.ReadErrorKind
		want string
		line int
	}{
		{"truncated at half", good[:half], diag.ReadTruncated, "il file è troncato (JSON incompleto alla riga ", 1 + bytes.Count(good[:half], []byte("\n"))},
		{"truncated at the end", good[:len(good)-3], diag.ReadTruncated, "il file è troncato", len(lines) - 2},
		{"truncated after a line", good[:bytes.IndexByte(good, '\n')+1], diag.ReadTruncated, "alla riga 1)", 1},
		{"two reports", append(append([]byte{}, good...), good...), diag.ReadCorrupt, "dopo la fine del rapporto, alla riga " + itoa(len(lines)), len(lines)},
		{"trailing garbage", append(append([]byte{}, good...), "xyz"...), diag.ReadCorrupt, "ci sono altri dati", len(lines)},
		{"broken JSON", bytes.Replace(good, []byte(`"status": "fail"`), []byte(`"status": fail`), 1), diag.ReadCorrupt,
			"il JSON non è valido alla riga " + itoa(statusLine) + " (carattere «i» inatteso): il file è danneggiato o è stato modificato", statusLine},
		{"not UTF-8", badUTF8, diag.ReadCorrupt, "byte che non sono testo (UTF-8)", 0},
		{"odd UTF-16", utf16le[:len(utf16le)-1], diag.ReadCorrupt, "numero dispari di byte", 0},
		{"a list", []byte("[1, 2, 3]"), diag.ReadNotReport, "contiene JSON, ma non un rapporto di sportello", 0},
		{"another JSON", []byte(`{"nome": "Mario", "eta": 40}`), diag.ReadNotReport, "manca il campo «tool»", 0},
		{"another tool", []byte(`{"tool": "altro \u001b[31mprogramma", "version": 1}`), diag.ReadNotReport, `è stato scritto da «altro \x1b[31mprogramma»`, 0},
		{"no version", mutate(t, good, func(m map[string]any) { delete(m, "version") }), diag.ReadUnknownVersion, "manca la versione del formato", 0},
		{"version as text", mutate(t, good, func(m map[string]any) { m["version"] = "1" }), diag.ReadUnknownVersion, "non è un numero intero: «\"1\"»", 0},
		{"version 1.5", mutate(t, good, func(m map[string]any) { m["version"] = 1.5 }), diag.ReadUnknownVersion, "non è un numero intero", 0},
		{"version 0", mutate(t, good, func(m map[string]any) { m["version"] = 0 }), diag.ReadUnknownVersion, "versione del formato sconosciuta (0)", 0},
		{"newer sportello", mutate(t, good, func(m map[string]any) { m["version"] = 2; m["tool"] = "sportello 9.1.0" }), diag.ReadNewer,
			"il rapporto è stato creato da una versione più recente di sportello («sportello 9.1.0», formato 2), e questa legge i rapporti fino al formato 1: aggiorna sportello", 0},
		{"no checks", mutate(t, good, func(m map[string]any) { delete(m, "checks") }), diag.ReadEdited, "manca il campo «checks»", 0},
		{"empty checks", mutate(t, good, func(m map[string]any) { m["checks"] = []any{} }), diag.ReadEdited, "non contiene alcun controllo", 0},
		{"a status edited", mutate(t, good, func(m map[string]any) { checkAt(m, 2)["status"] = "ottimo" }), diag.ReadEdited, "il controllo «token.pin» (riga ", 0},
		{"the verdict edited", mutate(t, good, func(m map[string]any) {
			v := m["verdict"].(map[string]any)
			v["ok"], v["status"], v["message"] = true, "ok", "Nessun problema: il dispositivo di firma è pronto"
		}), diag.ReadEdited, "l'esito scritto nel rapporto («Nessun problema: il dispositivo di firma è pronto») non corrisponde ai controlli che contiene («Trovato 1 problema", 0},
		{"a result edited", mutate(t, good, func(m map[string]any) { checkAt(m, 2)["status"] = "pass" }), diag.ReadEdited, "non corrisponde ai controlli", 0},
		{"a count edited", mutate(t, good, func(m map[string]any) { m["verdict"].(map[string]any)["counts"].(map[string]any)["pass"] = 9 }), diag.ReadEdited, "non corrisponde ai controlli", 0},
		{"a check removed", mutate(t, good, func(m map[string]any) { m["checks"] = append(checks(m)[:2], checks(m)[3:]...) }), diag.ReadEdited, "manca il controllo «token.pin»", 0},
		{"a check twice", mutate(t, good, dupCheck), diag.ReadEdited, "il controllo «token.pin» del dispositivo «Firma Test» compare due volte (righe ", 0},
		{"a hostile check name", mutate(t, good, func(m map[string]any) { checkAt(m, 2)["check"] = "token.pin\x1b[31m" }), diag.ReadEdited, `nome non valido («token.pin\x1b[31m»)`, 0},
		{"a bad node", mutate(t, good, func(m map[string]any) { checkAt(m, 2)["node"] = "firma pin" }), diag.ReadEdited, "rimanda a un nodo non valido («firma pin»)", 0},
		{"no title", mutate(t, good, func(m map[string]any) { checkAt(m, 2)["title"] = " " }), diag.ReadEdited, "non ha un titolo", 0},
		{"urgent fail", mutate(t, good, func(m map[string]any) { checkAt(m, 2)["urgent"] = true }), diag.ReadEdited, "è urgente ma non è un avviso", 0},
		{"a bad fact", mutate(t, good, func(m map[string]any) { checkAt(m, 2)["facts"].(map[string]any)["Nome Strano"] = "x" }), diag.ReadEdited, "un dato con un nome non valido («Nome Strano»)", 0},
		{"a wrong type", mutate(t, good, func(m map[string]any) { firstCert(m)["days_left"] = "dodici" }), diag.ReadEdited,
			"il campo «modules.slots.token.certificates.days_left» ha un valore del tipo sbagliato (testo): il file è stato modificato", 0},
		{"a bad date", mutate(t, good, func(m map[string]any) { m["generated_at"] = "ieri" }), diag.ReadEdited, "una data non è valida («ieri»)", 0},
		{"no date", mutate(t, good, func(m map[string]any) { m["generated_at"] = "0001-01-01T00:00:00Z" }), diag.ReadEdited, "manca la data del rapporto", 0},
		{"no validity", mutate(t, good, func(m map[string]any) { delete(firstCert(m), "days_left") }), diag.ReadEdited, "non ha le date di validità", 0},
		{"a hostile PIN state", mutate(t, good, func(m map[string]any) { firstToken(m)["pin"] = "\x1b[5mok" }), diag.ReadEdited, `valore non valido («\x1b[5mok»)`, 0},
		{"warn_days 0", mutate(t, good, func(m map[string]any) { m["warn_days"] = 0 }), diag.ReadEdited, "«warn_days» vale 0", 0},
		{"masked, but not", mutate(t, good, func(m map[string]any) { m["redacted"] = true }), diag.ReadEdited, "ne contiene in chiaro", 0},
	} {
		_, err := diag.DecodeReport("rapporto.json", c.data)
		re := readErr(t, c.name, err, "rapporto.json", c.kind, c.want)
		if re != nil && c.line != 0 && re.Line != c.line {
			t.Errorf("%s: line %d, want %d", c.name, re.Line, c.line)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// What a newer sportello of the same format version adds (fields,
// checks) is read; what Windows editors and PowerShell write is too.
func TestDecodeAccepts(t *testing.T) {
	good := savedReport(t, "pin-bloccato.json")
	want, err := diag.DecodeReport("r", good)
	if err != nil {
		t.Fatal(err)
	}
	utf16le := []byte{0xFF, 0xFE}
	utf16be := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(string(good))) {
		utf16le = append(utf16le, byte(u), byte(u>>8))
		utf16be = append(utf16be, byte(u>>8), byte(u))
	}
	for name, data := range map[string][]byte{
		"UTF-8 with BOM":        append([]byte{0xEF, 0xBB, 0xBF}, good...),
		"UTF-16LE (PowerShell)": utf16le,
		"UTF-16BE":              utf16be,
		"CRLF":                  bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n")),
	} {
		r, err := diag.DecodeReport(name, data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r.Verdict != want.Verdict || len(r.Checks) != len(want.Checks) || r.Modules[0].Path != want.Modules[0].Path {
			t.Errorf("%s: read differently", name)
		}
	}
	newer := mutate(t, good, func(m map[string]any) {
		m["tool"] = "sportello 3.0.0"
		m["workstation"] = map[string]any{"firmware": map[string]any{"current": true}}
		m["checks"] = append(checks(m), map[string]any{"check": "workstation.firmware", "status": "pass", "title": "Firmware del lettore aggiornato"})
		m["verdict"].(map[string]any)["counts"].(map[string]any)["pass"] = want.Verdict.Counts.Pass + 1
		m["verdict"].(map[string]any)["message"] = "Trovato 1 problema: segui le istruzioni" // wording may change
	})
	r, err := diag.DecodeReport("newer", newer)
	if err != nil {
		t.Fatalf("a newer sportello's additive report: %v", err)
	}
	if len(r.Checks) != len(want.Checks)+1 {
		t.Errorf("checks %d", len(r.Checks))
	}
	// The text shows the check it has no group for.
	var b bytes.Buffer
	if err := report.Text(&b, r, report.Options{Saved: true}); err != nil || !strings.Contains(b.String(), "Altri controlli\n---------------\n✓ Firmware del lettore aggiornato\n") {
		t.Errorf("the newer check is not shown:\n%s", b.String())
	}
}

// Text from a report is rendered escaped, whatever the renderer.
func TestHostileReportRendersSafely(t *testing.T) {
	r, err := diag.DecodeReport("ostile", savedReport(t, "etichetta-ostile.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range report.Formats {
		var b bytes.Buffer
		if err := report.Write(&b, format, r, report.Options{Saved: true}); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(b.String(), "\x1b\x07\u202e") {
			t.Errorf("%s: raw control characters:\n%q", format, b.String())
		}
		if format == "text" && !strings.Contains(b.String(), `«\x1b[2J\x1b]0;x\x07\u{202e}amriF»`) {
			t.Errorf("text does not show the label escaped:\n%s", b.String())
		}
	}
	for _, line := range []string{diag.StatusLine(r).Text, diag.PhoneLine(r)} {
		if !textsafe.IsSafe(line) || !strings.Contains(line, `\u{202e}amriF`) {
			t.Errorf("line %q", line)
		}
	}
}
