//go:build linux && cgo

package station

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/vpcdtest"
	"github.com/sportello/sportello/internal/winetest"
)

// The PC/SC reading runs in a child process here as in the product:
// libpcsclite reads PCSCLITE_CSOCK_NAME once per process, and a wedged
// daemon must not take the test binary with it. The child is this test
// binary, told by environment variables to read and print.
const (
	childEnv   = "STATION_TEST_PCSC_CHILD"
	libraryEnv = "STATION_TEST_PCSC_LIBRARY"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if lib := os.Getenv(libraryEnv); lib != "" {
			pcscLibraryPaths = []string{lib}
		}
		var calls []string
		p := ReadPCSC(func(c string) { calls = append(calls, c) })
		json.NewEncoder(os.Stdout).Encode(childResult{p, calls})
		os.Exit(0)
	}
	os.Exit(winetest.Main(m)) // winetest: the Wine prefix of TestWindowsUnderWine
}

type childResult struct {
	PCSC  PCSC
	Calls []string
}

func readChild(t *testing.T, env ...string) childResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{childEnv + "=1"}, env...)...)
	cmd.WaitDelay = time.Second
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.Output(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the PC/SC reading hung")
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var r childResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("child output: %v\n%s", err, out)
	}
	return r
}

func TestReadPCSCNoService(t *testing.T) {
	r := readChild(t, "PCSCLITE_CSOCK_NAME="+filepath.Join(t.TempDir(), "nessuno.comm"))
	p := r.PCSC
	if p.Status != PCSCNoService || p.Call != "SCardEstablishContext" || p.CodeName != "SCARD_E_NO_SERVICE" || p.Code != "0x8010001D" {
		t.Errorf("no daemon: %+v", p)
	}
	if p.Library != "libpcsclite.so.1" {
		t.Errorf("library %q", p.Library)
	}
}

func TestReadPCSCNotInstalled(t *testing.T) {
	r := readChild(t, libraryEnv+"=/nessuna/libpcsclite.so.1")
	p := r.PCSC
	if p.Status != PCSCNotInstalled || p.Call != "dlopen" || !strings.Contains(p.Detail, "/nessuna/libpcsclite.so.1") {
		t.Errorf("missing library: %+v", p)
	}
	// A library that is not PC/SC: libc has none of the four calls.
	r = readChild(t, libraryEnv+"=libc.so.6")
	if r.PCSC.Status != PCSCError || r.PCSC.Call != "dlsym" || !strings.Contains(r.PCSC.Detail, "SCardEstablishContext") {
		t.Errorf("not a PC/SC library: %+v", r.PCSC)
	}
}

func TestReadPCSCNoReaders(t *testing.T) {
	d := vpcdtest.Start(t, vpcdtest.Options{})
	r := readChild(t, d.Env())
	if r.PCSC.Status != PCSCOK || len(r.PCSC.Readers) != 0 || r.PCSC.Readers == nil {
		t.Errorf("a daemon without readers: %+v", r.PCSC)
	}
	want := "dlopen libpcsclite.so.1 SCardEstablishContext SCardListReaders SCardReleaseContext"
	if got := strings.Join(r.Calls, " "); got != want {
		t.Errorf("calls %q, want %q", got, want)
	}
}

// TestReadPCSCReaders: the real pcscd with the vpcd virtual reader, a
// virtual CNS card inserted and removed. The card receives no APDU.
func TestReadPCSCReaders(t *testing.T) {
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true})
	r := readChild(t, d.Env())
	p := r.PCSC
	if p.Status != PCSCOK || len(p.Readers) != 2 {
		t.Fatalf("two empty readers: %+v", p)
	}
	for i, rd := range p.Readers {
		if rd.Name != d.Reader(i) || rd.CardPresent || rd.ATR != "" || !slices.Contains(rd.StateNames, "SCARD_STATE_EMPTY") {
			t.Errorf("reader %d: %+v", i, rd)
		}
	}
	const cns = "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D"
	card := d.Card(0)
	card.Insert(t, mustATR(t, cns))
	p = readChild(t, d.Env()).PCSC
	if len(p.Readers) != 2 || !p.Readers[0].CardPresent || p.Readers[0].ATR != cns || p.Readers[1].CardPresent {
		t.Fatalf("card in slot 0: %+v", p)
	}
	if !slices.Contains(p.Readers[0].StateNames, "SCARD_STATE_PRESENT") {
		t.Errorf("state names %v", p.Readers[0].StateNames)
	}
	if n := card.APDUs(); n != 0 {
		t.Errorf("the reading sent %d APDUs to the card", n)
	}
	card.RemoveAndWait(t)
	p = readChild(t, d.Env()).PCSC
	if p.Readers[0].CardPresent || p.Readers[0].ATR != "" {
		t.Errorf("card removed: %+v", p.Readers[0])
	}
}

// TestReadPCSCHostileReaderName: a reader name with an escape sequence and
// a bidi override is kept as it is (the renderers escape it) and breaks
// nothing.
func TestReadPCSCHostileReaderName(t *testing.T) {
	name := "Lettore \x1b[2J\u202eevil"
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true, Name: name})
	p := readChild(t, d.Env()).PCSC
	if len(p.Readers) != 2 || p.Readers[0].Name != name+" 00 00" {
		t.Errorf("readers: %q", fmt.Sprint(p.Readers))
	}
}

// TestGatherPCSCNames: Gather with a PC/SC reading names the card from its
// ATR, with the list of a fixture root.
func TestGatherPCSCNames(t *testing.T) {
	root := t.TempDir()
	fixture(t, root, map[string]string{"usr/share/pcsc/smartcard_list.txt": "3B 02 14 50\n\tCarta di prova\n"})
	read := func(atr string) func(context.Context) *PCSC {
		return func(context.Context) *PCSC {
			return &PCSC{Status: PCSCOK, Readers: []Reader{newReader("R", statePresent, mustATR(t, atr))}}
		}
	}
	f := Gather(t.Context(), Options{Root: root, PCSC: read("3B 02 14 50")})
	if f.PCSC == nil || f.PCSC.Readers[0].Card == nil || f.PCSC.Readers[0].Card.Name != "Carta di prova" {
		t.Fatalf("not named from the list: %+v", f.PCSC)
	}
	f = Gather(t.Context(), Options{Root: root, PCSC: read("3B 8E 80 01 80 31 80 65 49 54 4E 58 50 12 0F FF 82 90 F0")})
	if c := f.PCSC.Readers[0].Card; c == nil || c.Kind != "cie" {
		t.Errorf("CIE: %+v", c)
	}
	if f := Gather(t.Context(), Options{}); f.PCSC != nil {
		t.Errorf("PC/SC gathered without a reader function: %+v", f.PCSC)
	}
}
