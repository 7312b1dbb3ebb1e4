package main

// End-to-end tests of the workstation checks: the real binary, the real
// pcscd (a private one per test, internal/vpcdtest) with the vsmartcard
// virtual reader and a virtual card, and a driver that loads but reads no
// device (the fault proxy over SoftHSM2 with FAULT_NO_SLOTS), so that the
// triage of token.present has to say why.

import (
	"bufio"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/tokentest"
	"github.com/sportello/sportello/internal/vpcdtest"
)

// noDeviceEnv is the environment of a driver that reads no device.
func noDeviceEnv(t *testing.T) []string {
	t.Helper()
	h := newToken(t, nil)
	return []string{"SPORTELLO_PKCS11_MODULE=" + tokentest.FaultModule(t), "FAULT_REAL_MODULE=" + h.Module, "FAULT_NO_SLOTS=1"}
}

// TestDiagnoseSmartCardStates: the states of the triage, each told apart
// in the text report and the JSON, with the real pcscd.
func TestDiagnoseSmartCardStates(t *testing.T) {
	env := noDeviceEnv(t)

	// Service down (no daemon on the socket). Each state's text report is
	// logged: `go test -v -run TestDiagnoseSmartCardStates` shows them.
	r := sportello(t, env, "diagnose")
	t.Logf("service down:\n%s", r.stdout)
	for _, want := range []string{
		"Postazione\n----------\n",
		"✗ Servizio delle smart card: non attivo (libpcsclite.so.1): SCardEstablishContext 0x8010001D SCARD_E_NO_SERVICE\n",
		"✗ Il servizio delle smart card non è attivo\n",
		"→ Avvia il servizio delle smart card: sudo systemctl enable --now pcscd.socket",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("service down: output lacks %q\n%s", want, r.stdout)
		}
	}
	if r.code != 1 {
		t.Errorf("service down: exit %d", r.code)
	}

	// A daemon with the virtual reader, empty.
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true})
	env = append(env, d.Env())
	r = sportello(t, env, "diagnose")
	t.Logf("empty reader:\n%s", r.stdout)
	for _, want := range []string{
		"✓ Servizio delle smart card: attivo (libpcsclite.so.1), 2 lettori\n  Lettore «Virtual PCD 00 00»: vuoto\n  Lettore «Virtual PCD 00 01»: vuoto\n",
		"✗ Inserisci la smart card nel lettore «Virtual PCD 00 00»\n",
		"! Nessuna carta nel lettore «Virtual PCD 00 00»: inserisci la smart card\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("empty reader: output lacks %q\n%s", want, r.stdout)
		}
	}
	if strings.Contains(strings.ToLower(r.stdout), "cambia porta") || strings.Contains(r.stdout, "un'altra porta USB") {
		t.Errorf("empty reader: told to change port\n%s", r.stdout)
	}

	// An Italian CNS card in it: named from its ATR, with its middleware.
	card := d.Card(0)
	card.Insert(t, atrBytes(t, cnsATR))
	r = sportello(t, env, "diagnose")
	t.Logf("unknown card:\n%s", r.stdout)
	for _, want := range []string{
		"  Lettore «Virtual PCD 00 00»: carta inserita\n    ATR " + cnsATR + "\n    Carta: CNS (Carta Nazionale dei Servizi) STIncard, chip STMicroelectronics, specifica CNS 1.0\n    Driver necessario: il driver Bit4id (bit4xpki o bit4ipki) o quello Incard (incryptoki2)\n",
		"✗ La carta nel lettore «Virtual PCD 00 00» non è riconosciuta dal driver: è una CNS (Carta Nazionale dei Servizi) STIncard",
		"→ Questa carta richiede il driver Bit4id (bit4xpki o bit4ipki) o quello Incard (incryptoki2): installalo",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("unknown card: output lacks %q\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "porta USB") {
		t.Errorf("unknown card: told to change port\n%s", r.stdout)
	}
	j, _ := diagnoseJSON(t, env)
	if c := check.Of(j.Checks, check.TokenPresent); len(c) == 0 || c[0].Node != check.NodeUnknownCard || c[0].Facts[check.FactCardATR] != cnsATR {
		t.Errorf("JSON token.present %+v", c)
	}
	if p := j.Workstation.PCSC; p.Readers[0].Card == nil || p.Readers[0].Card.Kind != "cns" || p.Readers[0].Card.Source != "sportello" {
		t.Errorf("JSON reader %+v", p.Readers[0])
	}
	if n := card.APDUs(); n != 0 {
		t.Errorf("diagnose sent %d APDUs to the card", n)
	}
}

func atrBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := station.ParseATRHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCardRemovedWhileWaiting: the assistant waits at
// firma:verifica-presenza (a wait node on token.present) with a card the
// driver does not know in the reader; the card is taken out while it
// waits; when the user stops waiting, the triage sees the reader empty
// and asks for the card, naming the reader.
func TestCardRemovedWhileWaiting(t *testing.T) {
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true})
	card := d.Card(0)
	card.Insert(t, atrBytes(t, cnsATR))
	cmd := exec.Command(tokentest.Sportello(t), "run", "firma:verifica-presenza", "--plain")
	cmd.Env = append(cmd.Environ(), append(noDeviceEnv(t), d.Env())...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1000)
	var all strings.Builder
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitFor := func(what string) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the walk ended before %q:\n%s", what, all.String())
				}
				all.WriteString(l + "\n")
				if strings.Contains(l, what) {
					return
				}
			case <-deadline:
				t.Fatalf("no %q within 20s:\n%s", what, all.String())
			}
		}
	}
	waitFor("Esito del controllo: problema — La carta nel lettore «Virtual PCD 00 00» non è riconosciuta dal driver")
	waitFor("In attesa: il controllo riparte")
	card.RemoveAndWait(t)
	io.WriteString(stdin, "\n") // stop waiting: the walk follows fail
	waitFor("Dispositivo non riconosciuto")
	waitFor("Esito del controllo: attenzione — Nessuna carta nel lettore «Virtual PCD 00 00»: inserisci la smart card")
	waitFor("Inserisci la smart card")
	waitFor("Il lettore Virtual PCD 00 00 è collegato e funziona, ma è vuoto.")
	stdin.Close() // the end of the input stops waiting too
	waitFor("La smart card non viene letta")
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v\n%s", err, all.String())
	}
}
