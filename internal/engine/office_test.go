package engine

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/flow"
)

func TestContacts(t *testing.T) {
	e := New(loadGood(t))
	want := NoContacts + "|" + SecretsWarning
	if got := strings.Join(e.Contacts(), "|"); got != want {
		t.Errorf("no configuration: %q", got)
	}
	e.SetOffice(&config.Office{Nome: "Ufficio firma", Telefono: "+39 06 123456", Sito: "https://u.it"})
	want = "Ufficio firma|Telefono: +39 06 123456|Sito: https://u.it|" + SecretsWarning
	if got := strings.Join(e.Contacts(), "|"); got != want {
		t.Errorf("configured: %q", got)
	}
	if got := e.Expand(e.Set().Node("due", "fine").Text); got != "Chiama +39 06 123456 o scrivi a "+flow.Missing+"." {
		t.Errorf("office facts: %q", got)
	}
	e.SetOffice(&config.Office{Nome: "Solo il nome"}) // config.Parse refuses it; the engine still never invents
	want = "Solo il nome|" + NoContacts + "|" + SecretsWarning
	if got := strings.Join(e.Contacts(), "|"); got != want {
		t.Errorf("a name without contacts: %q", got)
	}
	e.SetOffice(nil)
	if got := e.Expand("{{ufficio.telefono}}"); got != flow.Missing {
		t.Errorf("the office's facts stay after SetOffice(nil): %q", got)
	}
	if !ShowsContacts(e.Set().Node("due", "fine")) || ShowsContacts(e.Set().Node("uno", "fine")) || ShowsContacts(nil) {
		t.Error("ShowsContacts: escalation end nodes only")
	}
}

func TestTranscriptContacts(t *testing.T) {
	e := New(loadGood(t))
	e.SetOffice(&config.Office{Telefono: "+39 06 123456", Email: "a@b.it"})
	must(t, e.Start(Ref{"due", "fine"}))
	md := e.Markdown(false)
	if !strings.Contains(md, "### Come contattare l'ufficio\n\n- Telefono: +39 06 123456\n- E-mail: a@b.it\n- "+SecretsWarning+"\n") {
		t.Errorf("transcript:\n%s", md)
	}
	must(t, e.Start(Ref{"uno", "fine"}))
	if strings.Contains(e.Markdown(false), "Come contattare") {
		t.Error("a resolved end shows the contacts block")
	}
}
