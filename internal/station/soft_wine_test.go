//go:build linux

package station_test

// The Windows half of the software, certificate-store and browser facts,
// tested under Wine with real parts: testdata/wingather (cross-built with
// Go) runs station.Gather inside the Wine prefix, whose registry the test
// writes with `wine64 reg add` and `regedit /s` (Uninstall keys in
// HKLM's 64- and 32-bit views and HKCU, StartMenuInternet), whose "MY"
// store gets the device's certificates through crypt32 and loses them
// again, and whose drive_c holds a bit4xpki.dll built with mingw (with a
// version resource), a 32-bit one, a per-user GoSign folder and Firefox
// profiles. The certificates are a SoftHSM2 token's, read by the real
// probe on Linux, and the checks judge the facts Wine gave.
//
// What this cannot show: the device itself seen by the Windows build.
// That needs the test PKCS#11 DLL of the Windows harness loaded by
// sportello.exe under Wine; here the device is probed on the Linux side.
//
// The prefix is internal/winetest's, shared by the test process: every
// registry value, file and certificate the test adds is removed when it
// ends, and the test does not run in parallel with others.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/probe"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
	"github.com/sportello/sportello/internal/winetest"
)

const uninstall = `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`

func TestWindowsUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Windows programs under Wine")
	}
	start := time.Now()
	p := winetest.Get(t)
	exe := filepath.Join(t.TempDir(), "wingather.exe")
	build := exec.Command("go", "build", "-o", exe, "./testdata/wingather")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building wingather.exe: %v\n%s", err, out)
	}
	run := func(args ...string) string {
		t.Helper()
		r := p.Run(t, winetest.RunOptions{Exe: exe, Args: args})
		if r.ExitCode != 0 || r.TimedOut {
			t.Fatalf("wingather %v: exit %d\n%s", args, r.ExitCode, r.Stderr)
		}
		return r.Stdout
	}
	gather := func() *station.Facts {
		t.Helper()
		out := run("gather")
		var f station.Facts
		if err := json.Unmarshal([]byte(out), &f); err != nil {
			t.Fatalf("wingather gather: %v\n%s", err, out)
		}
		return &f
	}

	// Installed programs: HKLM's two views (the 32-bit one is WOW6432Node
	// on disk), HKCU, garbage and hostile values.
	hklm64, hklm32, hkcu := `HKLM\`+uninstall, `HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall`, `HKCU\`+uninstall
	p.RegAdd(t, hklm32+`\DiKe6`, "DisplayName", "REG_SZ", "DiKe 6 PRO")
	p.RegAdd(t, hklm32+`\DiKe6`, "DisplayVersion", "REG_SZ", "6.5.0")
	p.RegAdd(t, hklm64+`\xPKI`, "DisplayName", "REG_SZ", "Bit4id xPKI")
	p.RegAdd(t, hklm64+`\xPKI`, "DisplayVersion", "REG_SZ", "1.4.9.1200")
	p.RegAdd(t, hklm64+`\SafeDive`, "DisplayName", "REG_SZ", "SafeDive")
	p.RegAdd(t, hklm64+`\SafeDive`, "VersionMajor", "REG_DWORD", "6")
	p.RegAdd(t, hklm64+`\SafeDive`, "VersionMinor", "REG_DWORD", "0")
	p.RegAdd(t, hklm64+`\Hidden`, "DisplayName", "REG_SZ", "Dike hidden component")
	p.RegAdd(t, hklm64+`\Hidden`, "SystemComponent", "REG_DWORD", "1")
	p.RegAdd(t, hklm64+`\Binary`, "DisplayName", "REG_BINARY", "00ff1b5b")
	p.RegAdd(t, hklm64+`\Office`, "DisplayName", "REG_SZ", "Microsoft Office")
	// A 200 KB DisplayName, a 20 KB version, escape codes and a bidi
	// override: read with a bounded buffer, kept as read (sanitised where
	// printed).
	regedit(t, p, `[HKEY_LOCAL_MACHINE\`+uninstall+`\Huge]`+"\r\n"+
		`"DisplayName"="Dike`+strings.Repeat("x", 200<<10)+`"`+"\r\n"+
		`[HKEY_LOCAL_MACHINE\`+uninstall+`\LongVersion]`+"\r\n"+
		`"DisplayName"="DiKe Pro"`+"\r\n"+`"DisplayVersion"="`+strings.Repeat("9", 20<<10)+`"`+"\r\n"+
		`[HKEY_CURRENT_USER\`+uninstall+`\DikeUtil]`+"\r\n"+
		"\"DisplayName\"=\"DikeUtil\x1b[31m\u202eevil\"\r\n",
		hklm64+`\Huge`, hklm64+`\LongVersion`, hkcu+`\DikeUtil`)
	// Browsers.
	p.RegAdd(t, `HKLM\SOFTWARE\Clients\StartMenuInternet\Firefox-308046B0AF4A39CB\shell\open\command`, "", "REG_SZ", `"C:\Program Files\Mozilla Firefox\firefox.exe" -osint`)
	p.RegAdd(t, `HKCU\SOFTWARE\Clients\StartMenuInternet\Google Chrome\shell\open\command`, "", "REG_SZ", `C:\chrome.exe`)
	// GoSign Desktop per user, found by its folder (no Uninstall key);
	// xPKI's library, a mingw DLL with a version resource, and a 32-bit
	// one; a Firefox profile.
	user := userDir(t, p)
	dll := mingwDLL(t, "1,4,10,598")
	prefixFiles(t, p, map[string][]byte{
		user + "/AppData/Local/InfoCert/GoSign Desktop/app-2.0.5":                         nil,
		user + "/AppData/Local/InfoCert/GoSign Desktop/app-2.1.10":                        nil,
		"drive_c/windows/system32/bit4xpki.dll":                                           dll,
		"drive_c/windows/syswow64/bit4xpki.dll":                                           peMachine(t, dll, 0x14c),
		user + "/AppData/Roaming/Mozilla/Firefox/profiles.ini":                            []byte("[Profile0]\r\nName=default-release\r\nIsRelative=1\r\nPath=Profiles/abc.default-release\r\nDefault=1\r\n"),
		user + "/AppData/Roaming/Mozilla/Firefox/Profiles/abc.default-release/pkcs11.txt": []byte("library=\r\nname=NSS Internal PKCS #11 Module\r\n"),
	})
	t.Logf("prefix, build and registry ready after %v", time.Since(start).Round(time.Millisecond))
	f := gather()
	sw := f.Software
	byName := map[string]station.Program{}
	for _, list := range [][]station.Program{sw.Obsolete, sw.GoSign, sw.Drivers} {
		for _, p := range list {
			byName[p.Product] = p
		}
	}
	if p := byName["dike6"]; p.Scope != station.ScopeMachine32 || p.Version != "6.5.0" || p.Source != "HKLM (32 bit)" {
		t.Errorf("DiKe 6 from the 32-bit view: %+v", p)
	}
	if p := byName["xpki"]; p.Scope != station.ScopeMachine || p.Version != "1.4.9.1200" {
		t.Errorf("xPKI from the 64-bit view: %+v", p)
	}
	if p := byName["safedive"]; p.Version != "6.0" {
		t.Errorf("SafeDive's version from VersionMajor/Minor: %+v", p)
	}
	if p := byName["dikeutil"]; p.Scope != station.ScopeUser || p.Name != "DikeUtil\x1b[31m\u202eevil" {
		t.Errorf("DikeUtil from HKCU: %+v", p)
	}
	if p := byName["gosign"]; p.Scope != station.ScopeUser || p.Version != "2.1.10" || p.Source != "cartella" {
		t.Errorf("GoSign per user from its folder (the highest app- version, numerically): %+v", p)
	}
	if p, ok := byName["dikepro"]; !ok || len(p.Version) > 301*3 {
		t.Errorf("a 20 KB version: %+v", p)
	}
	for _, p := range sw.Obsolete {
		if strings.Contains(p.Name, "hidden") || strings.HasPrefix(p.Name, "Dikexxx") {
			t.Errorf("reported %q: a hidden component or a 200 KB value", p.Name)
		}
	}
	if len(sw.Obsolete) != 3 {
		t.Errorf("obsolete: %+v", sw.Obsolete)
	}
	if len(sw.DriverFiles) != 2 || sw.DriverFiles[0].Arch != "x86-64" || sw.DriverFiles[0].Version != "1.4.10.598" || sw.DriverFiles[0].Mismatch ||
		sw.DriverFiles[1].Arch != "x86" || !sw.DriverFiles[1].Mismatch {
		t.Errorf("driver files: %+v", sw.DriverFiles)
	}
	var ids []string
	for _, b := range f.Browsers.Installed {
		ids = append(ids, b.ID+"="+b.Path)
	}
	if strings.Join(ids, " ") != `firefox=C:\Program Files\Mozilla Firefox\firefox.exe chrome=C:\chrome.exe` {
		t.Errorf("browsers: %v", ids)
	}
	if len(f.Browsers.Firefox) != 1 || f.Browsers.Firefox[0].NSS.Format != "sql" || !f.Browsers.Firefox[0].Default {
		t.Errorf("Firefox profiles: %+v", f.Browsers.Firefox)
	}

	t.Logf("first gather checked after %v", time.Since(start).Round(time.Millisecond))
	// The device's certificates, read by the probe from SoftHSM2, into the
	// user's MY store (as SafeDive's Importa leaves them) and out again.
	dev, ders := softHSMDevice(t)
	dir := t.TempDir()
	for label, der := range ders {
		path := filepath.Join(dir, label+".der")
		if err := os.WriteFile(path, der, 0o600); err != nil {
			t.Fatal(err)
		}
		run("addcert", winetest.WindowsPath(path), "Bit4id Universal Middleware Provider")
	}
	t.Cleanup(func() { // the store is the prefix's: leave it as found
		for _, der := range ders {
			p.Run(t, winetest.RunOptions{Exe: exe, Args: []string{"delcert", fingerprint(der)}})
		}
	})
	judge := func(f *station.Facts) check.Result {
		for _, r := range check.StationChecks(check.StationInput{Station: f, Modules: []token.Module{dev}}) {
			if r.Check == check.WorkstationCertStore {
				return r
			}
		}
		t.Fatal("no certstore result")
		return check.Result{}
	}
	f = gather()
	if r := judge(f); r.Status != check.Pass {
		t.Errorf("both certificates imported: %s %s — %s", r.Status, r.Title, r.Detail)
	}
	for _, c := range f.CertStores.Windows.Certificates {
		if !c.HasKey || c.Provider != "Bit4id Universal Middleware Provider" || c.NotAfter.Before(time.Now()) {
			t.Errorf("store certificate %+v", c)
		}
	}
	run("delcert", fingerprint(ders["cns"]))
	if r := judge(gather()); r.Status != check.Warn || !strings.Contains(r.Title, "«cns»") {
		t.Errorf("CNS certificate removed: %s %s", r.Status, r.Title)
	}
	run("delcert", fingerprint(ders["firma"]))
	if r := judge(gather()); r.Status != check.Fail || r.Node != check.NodeInstallStep6 {
		t.Errorf("both removed: %s %s %s", r.Status, r.Node, r.Title)
	}
	// Imported without the link to the device's key.
	run("addcert", winetest.WindowsPath(filepath.Join(dir, "cns.der")))
	run("addcert", winetest.WindowsPath(filepath.Join(dir, "firma.der")), "Bit4id Universal Middleware Provider")
	if r := judge(gather()); r.Status != check.Warn || !strings.Contains(r.Title, "senza il collegamento") {
		t.Errorf("certificate without key: %s %s", r.Status, r.Title)
	}
	t.Logf("done after %v", time.Since(start).Round(time.Millisecond))
}

// softHSMDevice is a SoftHSM2 token with a signature and a CNS
// certificate, probed in process.
func softHSMDevice(t *testing.T) (token.Module, map[string][]byte) {
	h := tokentest.NewHSM(t)
	h.InitToken(t, "Firma Test", "12345678", "87654321")
	ders := map[string][]byte{
		"firma": tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: time.Now().AddDate(1, 0, 0)}),
		"cns":   tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.CNS, NotAfter: time.Now().AddDate(1, 0, 0)}),
	}
	h.AddCert(t, "Firma Test", "12345678", "firma", []byte{1}, ders["firma"])
	h.AddCert(t, "Firma Test", "12345678", "cns", []byte{2}, ders["cns"])
	m := probe.Module(h.Module, probe.Options{WarnDays: 30})
	if m.Status != token.ModuleOK {
		t.Fatalf("probe: %s", m.Reason)
	}
	return m, ders
}
