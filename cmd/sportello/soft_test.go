package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/tokentest"
)

// TestDiagnoseSoftware runs the real binary with a home folder made for
// it: a Firefox profile that loads the device's driver and one that does
// not, and Chrome's NSS database; the device is a SoftHSM2 token. The
// software checks read this machine's dpkg database as it is: the
// expected GoSign outcome comes from dpkg itself.
func TestDiagnoseSoftware(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(300)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(300)},
	})
	home := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(home, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".pki/nssdb/pkcs11.txt", "library=\nname=NSS Internal PKCS #11 Module\n\nlibrary="+h.Module+"\nname=SoftHSM\n")
	write(".mozilla/firefox/profiles.ini", "[Profile0]\nName=lavoro\nIsRelative=1\nPath=a.lavoro\nDefault=1\n\n[Profile1]\nName=casa\x1b[2J\nIsRelative=1\nPath=b.casa\n")
	write(".mozilla/firefox/a.lavoro/pkcs11.txt", "library="+h.Module+"\nname=SoftHSM\n")
	write(".mozilla/firefox/b.casa/pkcs11.txt", "library=\nname=NSS Internal PKCS #11 Module\n")
	env := []string{"SPORTELLO_PKCS11_MODULE=" + h.Module, "HOME=" + home}

	doc, r := diagnoseJSON(t, env)
	got := map[string]check.Result{}
	for _, c := range doc.Checks {
		got[c.Check] = c
	}
	if b := got[check.WorkstationBrowsers]; b.Status != check.Warn || b.Node != check.NodeInstallFirefox || !strings.Contains(b.Title, `casa\x1b[2J`) {
		t.Errorf("browsers: %s %s %q", b.Status, b.Node, b.Title)
	}
	if c := got[check.WorkstationCertStore]; c.Status != check.Warn || !strings.Contains(c.Title, "profilo «casa") || strings.Contains(c.Title, "Chrome") {
		t.Errorf("certstore: %s %q", c.Status, c.Title)
	}
	if w := doc.Workstation; w == nil || w.Software == nil || w.Browsers == nil || len(w.Browsers.Firefox) != 2 {
		t.Fatalf("workstation facts: %+v", w)
	}
	// GoSign Desktop: what dpkg says of its package, when this is a dpkg
	// system.
	if _, err := os.Stat("/var/lib/dpkg/status"); err == nil {
		installed := exec.Command("dpkg-query", "-W", "-f=${Status}", "gosigndesktop").Run() == nil
		g := got[check.WorkstationGoSign]
		if installed && g.Status == check.Fail || !installed && (g.Status != check.Fail || g.Node != check.NodeInstallStep2) {
			t.Errorf("gosign: %s %q with the package installed=%v", g.Status, g.Title, installed)
		}
		if !installed && r.code != 1 {
			t.Errorf("no GoSign Desktop, exit %d", r.code)
		}
	}

	// Text: the Postazione lines and the remedies, sanitised.
	r = sportello(t, env, "diagnose")
	for _, want := range []string{"Programmi di firma (letti da: ", "Firefox, profilo «lavoro» (predefinito): SoftHSM (" + h.Module + ")",
		`Firefox, profilo «casa\x1b[2J»: nessun driver esterno`, "Dispositivi di sicurezza", "Programmi, certificati e browser"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.ContainsRune(r.stdout, 0x1b) {
		t.Errorf("raw escape in the text report")
	}
}
