package diag

// Reading a saved report (`sportello report FILE`, the operator mode). A
// report comes from another machine, by mail or chat: it is hostile input.
// The reader is bounded (MaxReportSize, refused before reading when the
// file says it is bigger), strict (exactly one JSON object, a sportello
// report of a format version it knows, values of the right types) and
// checks what is cheap to check (the verdict recomputed from the checks,
// check names and statuses, the states it renders, the masking a report
// claims), so that a truncated, edited or foreign file is refused with an
// Italian message that names the file and what is wrong. Fields it does
// not know are ignored: version 1 grows only by adding fields.
//
// It does not sanitise the strings it reads: renderers pass them through
// textsafe, as they do for a fresh diagnosis.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// MaxReportSize is the largest report the reader accepts: 4 MiB. A report
// of a machine with three tokens is about 20 KB (README.md), so this
// leaves a margin of two hundred times while bounding what a hostile file
// costs (about 60 ms and 20 MB to read one at the limit).
const MaxReportSize = 4 << 20

// ReadErrorKind says what is wrong with a file that is not a readable
// report.
type ReadErrorKind string

// Kinds of ReadError.
const (
	ReadFailed         ReadErrorKind = "read_failed"     // missing, unreadable, a directory, not a regular file
	ReadTooLarge       ReadErrorKind = "too_large"       // over MaxReportSize
	ReadNotReport      ReadErrorKind = "not_report"      // empty, not JSON, or JSON that is not a sportello report
	ReadTruncated      ReadErrorKind = "truncated"       // the JSON ends too early
	ReadCorrupt        ReadErrorKind = "corrupt"         // broken JSON, bytes that are not text, data after the report
	ReadEdited         ReadErrorKind = "edited"          // well-formed JSON whose contents do not hold together
	ReadUnknownVersion ReadErrorKind = "unknown_version" // no format version, or one that never existed
	ReadNewer          ReadErrorKind = "newer"           // made by a newer sportello, in a format version this one does not read
)

// ReadError is why a file could not be read as a report. Error() is the
// Italian message "FILE: what is wrong", sanitised for a terminal.
type ReadError struct {
	File string
	Kind ReadErrorKind
	Line int    // the line of the file concerned, 0 when none in particular
	Msg  string // Italian, without the file name
}

func (e *ReadError) Error() string { return textsafe.Line(e.File) + ": " + e.Msg }

// ReadReport reads the report saved in the file at path.
func ReadReport(path string) (*Report, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &ReadError{File: path, Kind: ReadFailed, Msg: openMessage(err)}
	}
	switch {
	case fi.IsDir():
		return nil, &ReadError{File: path, Kind: ReadFailed, Msg: "è una cartella, non il file di un rapporto"}
	case !fi.Mode().IsRegular():
		return nil, &ReadError{File: path, Kind: ReadFailed, Msg: "non è un file normale (è un dispositivo, una pipe o un socket): salva il rapporto in un file"}
	case fi.Size() > MaxReportSize:
		return nil, tooLarge(path, fi.Size())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &ReadError{File: path, Kind: ReadFailed, Msg: openMessage(err)}
	}
	defer f.Close()
	return ReadReportFrom(path, f)
}

// ReadReportFrom reads a report from r (standard input, a download),
// named name in messages. It reads at most MaxReportSize+1 bytes.
func ReadReportFrom(name string, r io.Reader) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReportSize+1))
	if err != nil {
		return nil, &ReadError{File: name, Kind: ReadFailed, Msg: "impossibile leggere il rapporto: la lettura si è interrotta"}
	}
	if len(data) > MaxReportSize {
		return nil, tooLarge(name, -1)
	}
	return DecodeReport(name, data)
}

func openMessage(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "il file non esiste"
	case errors.Is(err, fs.ErrPermission):
		return "non hai il permesso di leggere il file"
	}
	return "impossibile aprire il file"
}

func tooLarge(name string, size int64) error {
	what := "più di 4 MB"
	if size >= 0 {
		what = strings.Replace(fmt.Sprintf("%.1f MB", float64(size)/(1<<20)), ".", ",", 1)
	}
	return &ReadError{File: name, Kind: ReadTooLarge,
		Msg: fmt.Sprintf("il file è troppo grande per essere un rapporto di sportello (%s; il limite è 4 MB)", what)}
}

// requiredFields are the fields every report of format version 1 has.
var requiredFields = []string{"version", "tool", "generated_at", "modules", "checks", "verdict"}

// DecodeReport decodes data, the bytes of a saved report named name in
// messages. UTF-8 with or without a byte-order mark and UTF-16 with one
// (what Windows PowerShell 5.1 writes for `>`) are accepted.
func DecodeReport(name string, data []byte) (*Report, error) {
	d := &decoder{name: name}
	var err error
	if d.data, err = d.text(data); err != nil {
		return nil, err
	}
	top, err := d.top()
	if err != nil {
		return nil, err
	}
	if err := d.identify(top); err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(d.data, &r); err != nil {
		return nil, d.typeError(err)
	}
	for _, f := range requiredFields {
		if _, ok := top[f]; !ok {
			return nil, d.edited(0, "manca il campo «%s»: il file è incompleto o è stato modificato", f)
		}
	}
	if err := d.validate(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

type decoder struct {
	name string
	data []byte
	// checkLines are the lines where the elements of "checks" start,
	// found when a message needs them.
	checkLines []int
}

func (d *decoder) fail(kind ReadErrorKind, line int, format string, a ...any) error {
	return &ReadError{File: d.name, Kind: kind, Line: line, Msg: fmt.Sprintf(format, a...)}
}

func (d *decoder) edited(line int, format string, a ...any) error {
	return d.fail(ReadEdited, line, format, a...)
}

// line is the line of byte offset off.
func (d *decoder) line(off int64) int {
	if off > int64(len(d.data)) {
		off = int64(len(d.data))
	}
	if off < 0 {
		off = 0
	}
	return 1 + bytes.Count(d.data[:off], []byte{'\n'})
}

// text returns data as UTF-8 text without a byte-order mark, or why it is
// not a report.
func (d *decoder) text(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if len(data)%2 != 0 {
			return nil, d.fail(ReadCorrupt, 0, "il file è in UTF-16 ma ha un numero dispari di byte: è danneggiato")
		}
		u := make([]uint16, 0, len(data)/2-1)
		for i := 2; i < len(data); i += 2 {
			if data[0] == 0xFF {
				u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		data = []byte(string(utf16.Decode(u)))
	}
	d.data = data
	body := bytes.TrimLeft(data, " \t\r\n")
	if len(body) == 0 {
		return nil, d.fail(ReadNotReport, 0, "il file è vuoto")
	}
	if body[0] != '{' {
		return nil, d.notJSONObject(body)
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, d.fail(ReadCorrupt, d.line(int64(off)), "alla riga %d il file contiene byte che non sono testo (UTF-8): è danneggiato", d.line(int64(off)))
	}
	return data, nil
}

// notJSONObject says what a file that does not start with "{" seems to be.
func (d *decoder) notJSONObject(body []byte) error {
	switch {
	case bytes.HasPrefix(body, []byte("<?xml")) || bytes.HasPrefix(body, []byte("<testsuites")):
		return d.fail(ReadNotReport, 1, "è un file XML (forse il rapporto in formato JUnit): serve il rapporto in formato JSON (sportello diagnose --format json)")
	case bytes.HasPrefix(body, []byte("Diagnosi del dispositivo di firma")):
		return d.fail(ReadNotReport, 1, "è il rapporto in formato testo: serve quello in formato JSON (sportello diagnose --format json)")
	case json.Valid(body):
		return d.fail(ReadNotReport, 1, "contiene JSON, ma non un rapporto di sportello")
	}
	return d.fail(ReadNotReport, 1, "non è un rapporto di sportello: non contiene JSON")
}

// top decodes the one JSON object of the file, field by field.
func (d *decoder) top() (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(d.data))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return nil, d.syntaxError(err)
	}
	off := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		l := d.line(off + int64(len(d.data[off:])-len(bytes.TrimLeft(d.data[off:], " \t\r\n"))))
		return nil, d.fail(ReadCorrupt, l, "dopo la fine del rapporto, alla riga %d, ci sono altri dati: il file è stato modificato o contiene più di un rapporto", l)
	}
	return top, nil
}

func (d *decoder) syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		l := d.line(int64(len(bytes.TrimRight(d.data, " \t\r\n"))))
		return d.fail(ReadTruncated, l, "il file è troncato (JSON incompleto alla riga %d): fatti mandare di nuovo il rapporto", l)
	case errors.As(err, &se):
		l := d.line(se.Offset)
		what := ""
		if se.Offset > 0 && se.Offset <= int64(len(d.data)) {
			if r, _ := utf8.DecodeLastRune(d.data[:se.Offset]); r != utf8.RuneError {
				what = " (carattere " + quote(string(r)) + " inatteso)"
			}
		}
		return d.fail(ReadCorrupt, l, "il JSON non è valido alla riga %d%s: il file è danneggiato o è stato modificato", l, what)
	}
	// The top value is not an object (a list, a string...).
	return d.fail(ReadNotReport, 1, "contiene JSON, ma non un rapporto di sportello")
}

// identify checks that the object is a sportello report of a format
// version this reader knows.
func (d *decoder) identify(top map[string]json.RawMessage) error {
	var tool string
	if raw, ok := top["tool"]; !ok || json.Unmarshal(raw, &tool) != nil || !strings.HasPrefix(tool, "sportello") {
		if ok && tool != "" {
			return d.fail(ReadNotReport, 0, "non è un rapporto di sportello (è stato scritto da %s)", quote(tool))
		}
		return d.fail(ReadNotReport, 0, "contiene JSON, ma non un rapporto di sportello (manca il campo «tool»)")
	}
	raw, ok := top["version"]
	if !ok {
		return d.fail(ReadUnknownVersion, 0, "manca la versione del formato (campo «version»): il file è stato modificato")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := int64(0), dec.Decode(&v)
	if num, ok := v.(json.Number); ok && err == nil {
		n, err = num.Int64()
	} else {
		err = errors.New("not a number")
	}
	switch {
	case err != nil:
		return d.fail(ReadUnknownVersion, 0, "la versione del formato (campo «version») non è un numero intero: %s; il file è stato modificato", quote(string(raw)))
	case n > ReportVersion:
		return d.fail(ReadNewer, 0, "il rapporto è stato creato da una versione più recente di sportello (%s, formato %d), e questa legge i rapporti fino al formato %d: aggiorna sportello per leggerlo",
			quote(tool), n, ReportVersion)
	case n < 1:
		return d.fail(ReadUnknownVersion, 0, "versione del formato sconosciuta (%d): il file è stato modificato", n)
	}
	return nil
}

// typeError explains an error of the full decode: a value of the wrong
// type, or a date that is not one.
func (d *decoder) typeError(err error) error {
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te):
		l := d.line(te.Offset)
		return d.edited(l, "alla riga %d il campo «%s» ha un valore del tipo sbagliato (%s): il file è stato modificato",
			l, textsafe.Line(te.Field), jsonKind(te.Value))
	case errors.As(err, &pe):
		return d.edited(0, "una data non è valida (%s): il file è stato modificato", quote(pe.Value))
	}
	return d.edited(0, "un valore non è valido: il file è stato modificato")
}

// jsonKind names a JSON value kind in Italian ("number -5" -> "numero").
func jsonKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "string":
		return "testo"
	case "number":
		return "numero"
	case "bool":
		return "vero/falso"
	case "array":
		return "elenco"
	case "object":
		return "oggetto"
	}
	return "valore"
}

// quote quotes text from the file for a message: sanitised and short.
func quote(s string) string {
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return "«" + textsafe.Line(s) + "»"
}

var (
	// checkName is a check's registry name: "token.pin", "workstation.pcsc".
	checkName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	// factKey is a fact's key: "cert.days_left".
	factKey = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
	// nodeRef is "flow:node" (flow and node ids as in package flow).
	nodeRef = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*$`)
	// word is a value of the report's closed vocabularies (module status,
	// PIN state, certificate status...): checked for its form, not against
	// today's list, so that a state added later reads as itself.
	word = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
)

// resultKey identifies a result in a report: its check, once per device
// (a device of one probe is its module and slot: masked serial numbers
// may look alike).
func resultKey(c check.Result) string {
	if c.Device == nil {
		return c.Check
	}
	return fmt.Sprintf("%s\x00%s\x00%d", c.Check, c.Device.Module, c.Device.Slot)
}

// validate checks what makes the report hold together.
func (d *decoder) validate(r *Report) error {
	if r.GeneratedAt.IsZero() {
		return d.edited(0, "manca la data del rapporto (campo «generated_at»): il file è stato modificato")
	}
	if r.WarnDays < 1 {
		return d.edited(0, "il campo «warn_days» vale %d, ma un rapporto ha almeno 1 giorno: il file è stato modificato", r.WarnDays)
	}
	if len(r.Checks) == 0 {
		return d.edited(0, "il rapporto non contiene alcun controllo: il file è stato modificato")
	}
	seen := map[string]int{}
	for i, c := range r.Checks {
		if err := d.validateResult(i, c); err != nil {
			return err
		}
		k := resultKey(c)
		if j, dup := seen[k]; dup {
			what := quote(c.Check)
			if c.Device != nil {
				what += " del dispositivo " + quote(c.Device.Label)
			}
			return d.edited(d.checkLine(i), "il controllo %s compare due volte (righe %d e %d): il file è stato modificato", what, d.checkLine(j), d.checkLine(i))
		}
		seen[k] = i
	}
	for _, name := range check.TokenCheckNames {
		if len(check.Of(r.Checks, name)) == 0 {
			return d.edited(0, "manca il controllo %s, che ogni rapporto contiene: il file è stato modificato", quote(name))
		}
	}
	if err := d.validateModules(r.Modules); err != nil {
		return err
	}
	if v := NewVerdict(r.Checks, r.Strict); v.OK != r.Verdict.OK || v.Status != r.Verdict.Status || v.Counts != r.Verdict.Counts {
		return d.edited(0, "l'esito scritto nel rapporto (%s) non corrisponde ai controlli che contiene (%s): il file è stato modificato",
			quote(r.Verdict.Message), quote(v.Message))
	}
	if r.Redacted && !masked(r) {
		return d.edited(0, "il rapporto dice di avere codici fiscali e numeri di serie mascherati, ma ne contiene in chiaro: il file è stato modificato")
	}
	return nil
}

func (d *decoder) validateResult(i int, c check.Result) error {
	l := d.checkLine(i)
	switch {
	case !checkName.MatchString(c.Check):
		return d.edited(l, "il controllo numero %d (riga %d) ha un nome non valido (%s): il file è stato modificato", i+1, l, quote(c.Check))
	case !c.Status.Valid():
		return d.edited(l, "il controllo %s (riga %d) ha uno stato sconosciuto (%s): il file è stato modificato", quote(c.Check), l, quote(string(c.Status)))
	case strings.TrimSpace(c.Title) == "":
		return d.edited(l, "il controllo %s (riga %d) non ha un titolo: il file è stato modificato", quote(c.Check), l)
	case c.Node != "" && !nodeRef.MatchString(c.Node):
		return d.edited(l, "il controllo %s (riga %d) rimanda a un nodo non valido (%s): il file è stato modificato", quote(c.Check), l, quote(c.Node))
	case c.Urgent && c.Status != check.Warn:
		return d.edited(l, "il controllo %s (riga %d) è urgente ma non è un avviso: il file è stato modificato", quote(c.Check), l)
	}
	for k := range c.Facts {
		if !factKey.MatchString(k) {
			return d.edited(l, "il controllo %s (riga %d) ha un dato con un nome non valido (%s): il file è stato modificato", quote(c.Check), l, quote(k))
		}
	}
	return nil
}

// validateModules checks the vocabularies the renderers show and the
// certificate fields they need.
func (d *decoder) validateModules(mods []token.Module) error {
	bad := func(what, val string) error {
		return d.edited(0, "%s ha un valore non valido (%s): il file è stato modificato", what, quote(val))
	}
	for _, m := range mods {
		mod := "il driver " + quote(m.Path)
		if !word.MatchString(string(m.Status)) {
			return bad(mod, string(m.Status))
		}
		if m.Fault != nil && !word.MatchString(string(m.Fault.Kind)) {
			return bad(mod, string(m.Fault.Kind))
		}
		for _, s := range m.Slots {
			t := s.Token
			if t == nil {
				continue
			}
			dev := "il dispositivo " + quote(t.Label)
			for _, st := range []token.State{t.PIN, t.PUK} {
				if !word.MatchString(string(st)) {
					return bad("lo stato di PIN o PUK del "+strings.TrimPrefix(dev, "il "), string(st))
				}
			}
			for _, c := range t.Certificates {
				if c.ParseError != "" {
					continue
				}
				cert := "il certificato " + quote(c.Label) + " del " + strings.TrimPrefix(dev, "il ")
				if c.DaysLeft == nil || c.NotAfter.IsZero() || c.NotBefore.IsZero() {
					return d.edited(0, "%s non ha le date di validità: il file è stato modificato", cert)
				}
				if !word.MatchString(string(c.Status)) {
					return bad(cert, string(c.Status))
				}
				if !word.MatchString(string(c.Usage)) {
					return bad(cert, string(c.Usage))
				}
			}
		}
	}
	return nil
}

// masked reports whether masking r again changes nothing: no codice
// fiscale or serial number of its devices is left in clear.
func masked(r *Report) bool {
	red := token.NewRedactor(r.Modules)
	clean := true
	walkStrings(reflect.ValueOf(r), func(s string) string {
		if clean && red.Text(s) != s {
			clean = false
		}
		return s
	})
	return clean
}

// checkLine is the line where the i-th element of "checks" starts, 0 when
// it cannot be found.
func (d *decoder) checkLine(i int) int {
	if d.checkLines == nil {
		d.checkLines = d.elementLines("checks")
	}
	if i < len(d.checkLines) {
		return d.checkLines[i]
	}
	return 0
}

// elementLines returns the line of each element of the top-level array
// field (nil if there is none). The file is already known to be valid.
func (d *decoder) elementLines(field string) []int {
	dec := json.NewDecoder(bytes.NewReader(d.data))
	lines := []int{}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return lines
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return lines
		}
		if key != field {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return lines
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return lines
		}
		for dec.More() {
			off := dec.InputOffset()
			rest := d.data[off:]
			off += int64(len(rest) - len(bytes.TrimLeft(rest, " \t\r\n,")))
			lines = append(lines, d.line(off))
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return lines
			}
		}
		return lines
	}
	return lines
}
