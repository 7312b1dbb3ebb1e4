package station

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fixture writes files under dir: path → content.
func fixture(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// realLibrary is a real ELF shared library of this machine's
// architecture (SoftHSM2's, which `make deps` installs).
func realLibrary(t *testing.T) []byte {
	t.Helper()
	for _, p := range []string{"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"} {
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
	}
	t.Fatal("libsofthsm2.so is missing: run `make test`, which installs softhsm2")
	return nil
}

// otherArch is lib with its ELF header's machine changed to i386: the
// header of a library this 64-bit program cannot load.
func otherArch(t *testing.T, lib []byte) []byte {
	b := bytes.Clone(lib)
	binary.LittleEndian.PutUint16(b[18:], uint16(elf.EM_386))
	return b
}

const nssShared = `library=
name=NSS Internal PKCS #11 Module
parameters=configdir='sql:/home/u/.pki/nssdb' certPrefix='' keyPrefix='' secmod='secmod.db' flags=
NSS=Flags=internal,critical trustOrder=75 cipherOrder=100 slotParams=(1={slotFlags=[RSA,RANDOM] askpw=any timeout=30})

library=/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-trust.so
name=p11-kit-trust
`

func TestGatherSoftLinux(t *testing.T) {
	root := t.TempDir()
	home := "/home/mario"
	lib := realLibrary(t)
	fixture(t, root, map[string]string{
		"var/lib/dpkg/status":                              dpkgFixture,
		"usr/lib/gosigndesktop/resources/app/package.json": `{"version": "9.9.9"}`, // ignored: dpkg knows GoSign
		"usr/lib/libbit4xpki.so":                           string(lib),
		"usr/lib/bit4id/libbit4xpki.so":                    string(otherArch(t, lib)),
		"var/lib/flatpak/app/it.example.SafeDive/current":  "",
		home + "/.pki/nssdb/pkcs11.txt":                    nssShared,
		home + "/.mozilla/firefox/profiles.ini": `[Install4F96D1932A9F858E]
Default=abc.default-release
Locked=1

[Profile1]
Name=default
IsRelative=1
Path=xyz.default

[Profile0]
Name=default-release
IsRelative=1
Path=abc.default-release

[Profile2]
Name=vecchio
IsRelative=1
Path=old.profile

[Profile3]
Name=rotto
IsRelative=1
Path=loop

[Profile4]
Name=file
IsRelative=1
Path=notadir

[General]
StartWithLastProfile=1
Version=2
`,
		home + "/.mozilla/firefox/abc.default-release/pkcs11.txt":        nssShared + "\nlibrary=/usr/lib/libbit4xpki.so\nname=Bit4id\n",
		home + "/.mozilla/firefox/abc.default-release/prefs.js":          "user_pref(\"a\", 1);\nuser_pref(\"security.osclientcerts.autoload\", true);\n",
		home + "/.mozilla/firefox/abc.default-release/user.js":           "user_pref(\"security.osclientcerts.autoload\", false);\n",
		home + "/.mozilla/firefox/abc.default-release/compatibility.ini": "[Compatibility]\nLastVersion=128.0.3_20240710000000/20240710000000\n",
		home + "/.mozilla/firefox/xyz.default/pkcs11.txt":                "\x00\xff garbage without equals\n\nlibrary\n=\nname=\u202eevil\x1b[2J\n",
		home + "/.mozilla/firefox/old.profile/secmod.db":                 "Berkeley DB",
		home + "/.mozilla/firefox/notadir":                               "a file, not a profile folder",
		"usr/bin/firefox-esr":                                            "",
		"usr/bin/chromium":                                               "",
	})
	// A symlink loop: a profile folder that cannot be read whatever the
	// permissions (the tests run as root, which ignores mode bits).
	loop := filepath.Join(root, home, ".mozilla/firefox/loop")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	f := Gather(context.Background(), Options{GOOS: "linux", Root: root, Home: home})
	t.Logf("Gather took %v", time.Since(start))

	sw := f.Software
	if sw == nil {
		t.Fatal("no software facts")
	}
	if strings.Join(sw.Sources, ",") != "dpkg,cartelle note" || sw.Scanned < 6 {
		t.Errorf("sources %v, scanned %d", sw.Sources, sw.Scanned)
	}
	if len(sw.Obsolete) != 2 || sw.Obsolete[0].Name != "dike" || sw.Obsolete[0].Scope != ScopeMachine {
		t.Errorf("obsolete %+v", sw.Obsolete)
	}
	if len(sw.GoSign) != 1 || sw.GoSign[0].Version != "2.1.2" || sw.GoSign[0].Source != "dpkg" {
		t.Errorf("gosign %+v (the dpkg entry wins over the folder)", sw.GoSign)
	}
	var drivers []string
	for _, d := range sw.Drivers {
		drivers = append(drivers, d.Product+"/"+d.Source+"/"+string(d.Scope))
	}
	if strings.Join(drivers, " ") != "xpki/dpkg/machine safedive/flatpak/machine" {
		t.Errorf("drivers %v", drivers)
	}
	if len(sw.DriverFiles) != 2 {
		t.Fatalf("driver files %+v", sw.DriverFiles)
	}
	if d := sw.DriverFiles[0]; !d.Found || d.Arch != archWord(runtime.GOARCH) || d.Mismatch || d.Error != "" {
		t.Errorf("real library: %+v", d)
	}
	if d := sw.DriverFiles[1]; !d.Found || d.Arch != "x86" || !d.Mismatch {
		t.Errorf("i386 library: %+v", d)
	}

	cs := f.CertStores
	if cs == nil || len(cs.NSS) != 1 || cs.NSS[0].Format != "sql" || len(cs.NSS[0].Modules) != 2 || cs.NSS[0].Modules[1].Name != "p11-kit-trust" {
		t.Fatalf("cert stores %+v", cs)
	}

	b := f.Browsers
	var ids []string
	for _, x := range b.Installed {
		ids = append(ids, x.ID)
	}
	if strings.Join(ids, ",") != "firefox,chromium" {
		t.Errorf("browsers %v", ids)
	}
	byName := map[string]FirefoxProfile{}
	for _, p := range b.Firefox {
		byName[p.Name] = p
	}
	if len(b.Firefox) != 5 {
		t.Fatalf("profiles %+v", b.Firefox)
	}
	rel := byName["default-release"]
	if !rel.Default || rel.OSClientCerts != "off" || rel.LastVersion != "128.0.3" || len(rel.NSS.Modules) != 3 || rel.NSS.Modules[2].Library != "/usr/lib/libbit4xpki.so" {
		t.Errorf("default-release %+v (user.js wins over prefs.js)", rel)
	}
	if p := byName["default"]; p.Default || p.NSS.Format != "sql" || len(p.NSS.Modules) != 1 || p.NSS.Modules[0].Name != "\u202eevil\x1b[2J" {
		t.Errorf("garbage profile %+v: the name is kept as read, sanitised by whoever prints it", p)
	}
	if p := byName["vecchio"]; p.NSS.Format != "dbm" {
		t.Errorf("old profile %+v", p)
	}
	for _, n := range []string{"rotto", "file"} {
		if p := byName[n]; p.Error == "" {
			t.Errorf("profile %s: no error: %+v", n, p)
		}
	}
}

// A cancelled Gather returns at once.
func TestGatherCanceled(t *testing.T) {
	start := time.Now()
	f := Gather(canceled(), Options{GOOS: runtime.GOOS, Root: t.TempDir(), Home: "/nessuno"})
	if f == nil || time.Since(start) > 2*time.Second {
		t.Errorf("Gather with a cancelled context took %v", time.Since(start))
	}
}

func TestNSSParseBounded(t *testing.T) {
	var b bytes.Buffer
	for i := 0; i < 10000; i++ {
		b.WriteString("library=/x/lib.so\nname=m\n\n")
	}
	mods, err := parsePKCS11Txt(context.Background(), &b)
	if err != nil || len(mods) != maxNSSModules {
		t.Errorf("%d modules, %v; want %d", len(mods), err, maxNSSModules)
	}
	// Blocks without blank lines between them.
	mods, _ = parsePKCS11Txt(context.Background(), strings.NewReader("library=\nname=Internal\nlibrary=/a.so\nname=A\nname=B\n"))
	if len(mods) != 3 || mods[1].Library != "/a.so" || mods[2].Name != "B" {
		t.Errorf("unseparated blocks: %+v", mods)
	}
	// One 40 MB line: read without holding it.
	long := bytes.Repeat([]byte("library=x"), 4<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	mods, _ = parsePKCS11Txt(context.Background(), bytes.NewReader(long))
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("allocated %d bytes for one long line", alloc)
	}
	if len(mods) != 1 || len([]rune(mods[0].Library)) > maxText+1 {
		t.Errorf("long line gave %d modules", len(mods))
	}
}
