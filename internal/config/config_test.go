package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "../../testdata/config/esempio.yaml"

func TestParseExample(t *testing.T) {
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	c, ps := Parse("esempio.yaml", data)
	if len(ps) > 0 {
		t.Fatal(ps.Error())
	}
	want := Office{
		Nome: "Sportello firma digitale del Comune di Esempio", Telefono: "+39 0123 456789",
		Email: "firma@comune.esempio.it", Orari: "lun-ven 9-13", Indirizzo: "Via Roma 1, Esempio",
		Sito: "https://www.comune.esempio.it/firma",
	}
	if c.Ufficio != want || c.GoSign.VersioneMinima != "2.1.0" {
		t.Errorf("parsed %+v", c)
	}
	f := c.Ufficio.Facts()
	if len(f) != 6 || f[FactTelefono] != "+39 0123 456789" || f[FactSito] != want.Sito {
		t.Errorf("facts %v", f)
	}
	if f := (Office{Email: "a@b.it"}).Facts(); len(f) != 1 || f[FactEmail] != "a@b.it" {
		t.Errorf("only the configured fields are facts: %v", f)
	}
}

// TestParseAccepts: what a person writes, in the forms it takes.
func TestParseAccepts(t *testing.T) {
	for name, src := range map[string]string{
		"phone with dots":   "ufficio:\n  telefono: '0123.456.789'\n",
		"phone in brackets": "ufficio:\n  telefono: \"(0123) 45 67 89\"\n",
		"email only":        "ufficio:\n  email: help.desk+firma@esempio.gov.it\n",
		"site only":         "ufficio:\n  sito: https://esempio.it\n",
		"address only":      "ufficio:\n  indirizzo: Piazza Grande 3\n",
		"gosign only":       "gosign:\n  versione_minima: 2.1\n",
		"version unquoted":  "gosign:\n  versione_minima: 2.1.0\n",
		"version one":       "gosign:\n  versione_minima: 3\n",
		"comments and CRLF": "# c\r\nufficio:  # c\r\n  telefono: \"+39 06 1234567\" # c\r\n",
	} {
		if _, ps := Parse("c.yaml", []byte(src)); len(ps) > 0 {
			t.Errorf("%s: %s", name, ps.Error())
		}
	}
}

// TestParseRefuses: every kind of mistake, with its line and message.
func TestParseRefuses(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"empty", "", 1, "file vuoto: scrivi almeno la sezione «ufficio» (vedi «Configurazione dell'ufficio» nel README)"},
		{"comments only", "# nulla\n", 1, "file vuoto (solo commenti)"},
		{"syntax", "ufficio:\n  telefono: \"+39\n", 2, "sintassi YAML non valida: il file finisce prima del previsto"},
		{"tab", "ufficio:\n\ttelefono: x\n", 2, "sintassi YAML non valida: carattere non ammesso all'inizio di un valore (una tabulazione? usa gli spazi)"},
		{"not a mapping", "- ufficio\n", 1, "la configurazione deve essere una mappa (chiave: valore), non una lista"},
		{"unknown section", "uffico:\n  telefono: \"1234567\"\n", 1, "campo sconosciuto «uffico» nella configurazione (forse «ufficio»?): le sezioni sono ufficio e gosign"},
		{"unknown field", "ufficio:\n  email: a@b.it\n  telfono: \"123456\"\n", 3, "campo sconosciuto «telfono» in «ufficio» (forse «telefono»?): i campi sono nome, telefono, email, orari, indirizzo e sito"},
		{"repeated field", "ufficio:\n  email: a@b.it\n  email: c@d.it\n", 3, "campo «email» ripetuto (già alla riga 2)"},
		{"phone as a number", "ufficio:\n  telefono: 0123456789\n", 2, "«ufficio.telefono» va scritto tra virgolette, \"0123456789\": senza, YAML lo legge come un numero"},
		{"bool", "ufficio:\n  email: a@b.it\n  orari: true\n", 3, "«ufficio.orari» va scritto tra virgolette, \"true\": senza, YAML lo legge come un valore vero/falso"},
		{"list", "ufficio:\n  telefono: [\"123456\"]\n", 2, "«ufficio.telefono» deve essere un testo, non una lista"},
		{"empty value", "ufficio:\n  email: a@b.it\n  nome:\n", 3, "«ufficio.nome» è vuoto: scrivi il valore o togli la riga"},
		{"empty section", "ufficio:\n", 1, "«ufficio» è vuoto: scrivi almeno il telefono o l'e-mail dell'ufficio, oppure togli la sezione"},
		{"empty section in braces", "ufficio: {}\n", 1, "«ufficio» è vuoto: scrivi almeno il telefono o l'e-mail dell'ufficio, oppure togli la sezione"},
		{"no contacts", "ufficio:\n  nome: Ufficio\n", 1, "«ufficio» non dice come contattare l'ufficio: scrivi almeno telefono, email, sito o indirizzo"},
		{"control characters", "ufficio:\n  email: a@b.it\n  nome: \"Uff\\e[31mcio\"\n", 3, `«ufficio.nome» contiene caratteri di controllo o sequenze di escape: Uff\x1b[31mcio`},
		{"two lines", "ufficio:\n  email: a@b.it\n  indirizzo: |\n    Via Roma 1\n    Esempio\n", 3, "«ufficio.indirizzo» deve stare su una riga"},
		{"too long", "ufficio:\n  email: a@b.it\n  nome: " + strings.Repeat("x", 201) + "\n", 3, "«ufficio.nome» è troppo lungo (201 caratteri, massimo 200)"},
		{"not a phone", "ufficio:\n  telefono: chiamaci\n", 2, "«ufficio.telefono» «chiamaci» non sembra un numero di telefono: usa cifre e spazi, con il prefisso internazionale all'inizio se serve (es. \"+39 0123 456789\")"},
		{"short phone", "ufficio:\n  telefono: \"123\"\n", 2, "«ufficio.telefono» «123» non sembra un numero di telefono"},
		{"plus inside", "ufficio:\n  telefono: \"0123+456789\"\n", 2, "non sembra un numero di telefono"},
		{"not an e-mail", "ufficio:\n  email: firma(at)comune.it\n", 2, "«ufficio.email» «firma(at)comune.it» non sembra un indirizzo e-mail: scrivi solo l'indirizzo, es. firma@comune.esempio.it"},
		{"e-mail with a name", "ufficio:\n  email: Ufficio <firma@comune.it>\n", 2, "non sembra un indirizzo e-mail"},
		{"e-mail without a domain", "ufficio:\n  email: firma@comune\n", 2, "non sembra un indirizzo e-mail"},
		{"http site", "ufficio:\n  sito: http://www.comune.it\n", 2, "«ufficio.sito» deve iniziare con https:// (un sito con http:// non è protetto): http://www.comune.it"},
		{"not a site", "ufficio:\n  sito: www.comune.it\n", 2, "«ufficio.sito» «www.comune.it» non è un indirizzo web valido: scrivi l'indirizzo completo, es. https://www.comune.esempio.it/firma"},
		{"site with a password", "ufficio:\n  sito: https://u:p@comune.it\n", 2, "non è un indirizzo web valido"},
		{"bad version", "gosign:\n  versione_minima: \"2.x\"\n", 2, "«gosign.versione_minima» «2.x» non è un numero di versione: scrivi ad esempio \"2.1.0\""},
		{"unknown gosign field", "gosign:\n  versione: \"2\"\n", 2, "campo sconosciuto «versione» in «gosign»: il campo è versione_minima"},
		{"anchor", "ufficio: &u\n  email: a@b.it\ngosign: *u\n", 1, "ancora YAML (&u) non ammessa nella configurazione (e altri 1 casi nel file)"},
		{"tag", "ufficio:\n  email: !!str a@b.it\n", 2, "tag YAML esplicito (!!str) non ammesso nella configurazione"},
		{"two documents", "ufficio:\n  email: a@b.it\n---\ngosign: {}\n", 3, "più di un documento YAML"},
		{"binary", "ufficio:\n  email: a\x00@b.it\n", 2, "non è un file di testo UTF-8 (byte 0x00 alla riga 2)"},
		{"huge", strings.Repeat("#", MaxSize+1), 1, "file troppo grande"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, ps := Parse("ufficio.yaml", []byte(c.src))
			if cfg != nil {
				t.Errorf("a configuration with problems was returned: %+v", cfg)
			}
			if len(ps) != 1 {
				t.Fatalf("got %d problems, want 1:\n%s", len(ps), ps.Error())
			}
			p := ps[0]
			if p.Line != c.line || !strings.Contains(p.Msg, c.msg) {
				t.Errorf("problem = %s\nwant line %d containing %q", p, c.line, c.msg)
			}
			if !strings.HasPrefix(p.String(), "ufficio.yaml:") {
				t.Errorf("not file:line: %s", p)
			}
		})
	}
}

// TestParseReportsEveryProblem: one run lists all problems, in file order.
func TestParseReportsEveryProblem(t *testing.T) {
	src := "ufficio:\n  telefono: abc\n  email: x\n  sito: http://a.it\nextra: 1\n"
	_, ps := Parse("c.yaml", []byte(src))
	var lines []int
	for _, p := range ps {
		lines = append(lines, p.Line)
	}
	if fmt.Sprint(lines) != "[2 3 4 5]" {
		t.Fatalf("problems at lines %v, want 2 3 4 5:\n%s", lines, ps.Error())
	}
}

// sandbox points the search at a fresh user directory, system file and
// executable directory, and returns them.
func sandbox(t *testing.T) (user, system, exeDir string) {
	t.Helper()
	root := t.TempDir()
	user, exeDir = filepath.Join(root, "utente"), filepath.Join(root, "chiavetta")
	system = filepath.Join(root, "etc", "sportello", "config.yaml")
	oldU, oldE, oldS := userConfigDir, executable, systemFile
	userConfigDir = func() (string, error) { return user, nil }
	executable = func() (string, error) { return filepath.Join(exeDir, "sportello.exe"), nil }
	systemFile = func() string { return system }
	t.Cleanup(func() { userConfigDir, executable, systemFile = oldU, oldE, oldS })
	return user, system, exeDir
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func office(email string) string { return "ufficio:\n  email: " + email + "\n" }

// TestResolveOrder: --config, then SPORTELLO_CONFIG, then the user's, the
// system's, beside the executable; the first that exists wins.
func TestResolveOrder(t *testing.T) {
	user, system, exeDir := sandbox(t)
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if c, err := Resolve("", getenv); c != nil || err != nil {
		t.Fatalf("nothing anywhere: %+v, %v", c, err)
	}
	got := func() string {
		t.Helper()
		c, err := Resolve("", getenv)
		if err != nil {
			t.Fatal(err)
		}
		return c.Ufficio.Email + " " + string(c.Source)
	}
	write(t, filepath.Join(exeDir, ExeFile), office("exe@x.it"))
	if g := got(); g != "exe@x.it eseguibile" {
		t.Errorf("beside the executable: %s", g)
	}
	write(t, system, office("sys@x.it"))
	if g := got(); g != "sys@x.it sistema" {
		t.Errorf("system: %s", g)
	}
	write(t, filepath.Join(user, "sportello", "config.yaml"), office("user@x.it"))
	if g := got(); g != "user@x.it utente" {
		t.Errorf("user: %s", g)
	}
	given := filepath.Join(t.TempDir(), "mia.yaml")
	write(t, given, office("env@x.it"))
	env["SPORTELLO_CONFIG"] = given
	if g := got(); g != "env@x.it SPORTELLO_CONFIG" {
		t.Errorf("env: %s", g)
	}
	flag := filepath.Join(t.TempDir(), "flag.yaml")
	write(t, flag, office("flag@x.it"))
	c, err := Resolve(flag, getenv)
	if err != nil || c.Ufficio.Email != "flag@x.it" || c.Source != FromFlag || c.File != flag {
		t.Errorf("flag: %+v, %v", c, err)
	}
}

// TestResolveNeverDefaultsSilently: a broken file found first is an error,
// not a reason to look further; a named file that does not exist is a
// FileError marked Given.
func TestResolveNeverDefaultsSilently(t *testing.T) {
	user, _, exeDir := sandbox(t)
	write(t, filepath.Join(exeDir, ExeFile), office("exe@x.it"))
	write(t, filepath.Join(user, "sportello", "config.yaml"), "ufficio:\n  telefono: 0123456\n")
	_, err := Resolve("", func(string) string { return "" })
	ps, ok := err.(Problems)
	if !ok || len(ps) != 1 || !strings.Contains(ps[0].String(), filepath.Join(user, "sportello", "config.yaml")+":2: «ufficio.telefono» va scritto tra virgolette") {
		t.Fatalf("broken user configuration: %v", err)
	}
	_, err = Resolve(filepath.Join(t.TempDir(), "manca.yaml"), func(string) string { return "" })
	fe, ok := err.(*FileError)
	if !ok || !fe.Given || !strings.Contains(fe.Error(), "manca.yaml: file inesistente (file di configurazione indicato con --config)") {
		t.Fatalf("missing --config file: %v", err)
	}
	_, err = Resolve("", func(k string) string { return map[string]string{"SPORTELLO_CONFIG": t.TempDir()}[k] })
	fe, ok = err.(*FileError)
	if !ok || !fe.Given || !strings.Contains(fe.Error(), "è una cartella, non un file (file di configurazione indicato da SPORTELLO_CONFIG)") {
		t.Fatalf("SPORTELLO_CONFIG naming a folder: %v", err)
	}
	if os.Getuid() != 0 {
		locked := filepath.Join(t.TempDir(), "chiuso.yaml")
		write(t, locked, office("a@b.it"))
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		_, err = Load(Place{locked, FromUser}, false)
		if fe, ok := err.(*FileError); !ok || fe.Given || !strings.Contains(fe.Error(), "permesso negato") {
			t.Errorf("unreadable file: %v", err)
		}
	}
}

func TestPlacesOrder(t *testing.T) {
	user, system, exeDir := sandbox(t)
	var got []string
	for _, p := range Places() {
		got = append(got, string(p.Source)+"="+p.Path)
	}
	want := []string{
		"utente=" + filepath.Join(user, "sportello", "config.yaml"),
		"sistema=" + system,
		"eseguibile=" + filepath.Join(exeDir, "sportello.yaml"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("places:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzParse: no input panics or yields a problem without a line; a
// configuration returned never carries control characters.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile(example); err == nil {
		f.Add(data)
	}
	f.Add([]byte("ufficio:\n  telefono: \"+39 1\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ps := Parse("f.yaml", data)
		for _, p := range ps {
			if p.Line < 1 || p.Msg == "" {
				t.Fatalf("malformed problem %+v", p)
			}
		}
		if c != nil {
			for k, v := range c.Ufficio.Facts() {
				if strings.ContainsAny(v, "\x1b\n\r") {
					t.Fatalf("%s = %q", k, v)
				}
			}
		}
	})
}
