package token

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree writes files (path -> content; "->target" makes a symlink) under a
// temporary root.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, full); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func byPath(mods []Module) map[string]Module {
	out := map[string]Module{}
	for _, m := range mods {
		out[m.Path+"|"+string(m.Source)] = m
	}
	return out
}

func TestDiscoverLinux(t *testing.T) {
	root := tree(t, map[string]string{
		"/usr/lib/bit4id/libbit4xpki.so":                    "elf",
		"/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so":        "elf",
		"/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so": "->../opensc-pkcs11.so",
		"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so":  "elf",
		"/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-trust.so": "elf",
		"/usr/share/p11-kit/modules/opensc-pkcs11.module":   "# OpenSC\nmodule: opensc-pkcs11.so\n",
		"/usr/share/p11-kit/modules/softhsm2.module":        "module: /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so\n",
		"/usr/share/p11-kit/modules/p11-kit-trust.module":   "module: p11-kit-trust.so\ntrust-policy: yes\n",
		"/usr/share/p11-kit/modules/vendor.module":          "module: /opt/vendor/libgone.so\n",
		"/home/u/.config/pkcs11/modules/softhsm2.module":    "module: /home/u/lib/mysofthsm.so\n",
		"/home/u/lib/mysofthsm.so":                          "elf",
		"/usr/share/p11-kit/modules/README":                 "not a module file",
		"/usr/share/p11-kit/modules/broken.module":          "no module line here\n",
	})
	mods := Discover(DiscoverOptions{GOOS: "linux", GOARCH: "amd64", Home: "/home/u", Root: root})
	got := byPath(mods)
	expect := func(path string, src Source, status ModuleStatus, reason string) {
		t.Helper()
		m, ok := got[path+"|"+string(src)]
		if !ok {
			t.Errorf("%s (%s) not tried", path, src)
			return
		}
		if m.Status != status || !strings.Contains(m.Reason, reason) {
			t.Errorf("%s (%s): status %q reason %q, want %q %q", path, src, m.Status, m.Reason, status, reason)
		}
	}
	expect("/usr/lib/bit4id/libbit4xpki.so", SourceVendor, "", "")
	expect("/usr/lib/libbit4xpki.so", SourceVendor, ModuleNotFound, "non installato")
	expect("/lib64/libASEP11.so", SourceVendor, ModuleNotFound, "non installato")
	expect("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", SourceVendor, "", "")
	// The symlink and the p11-kit entry are the same file as the first.
	expect("/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so", SourceVendor, ModuleDuplicate, "stesso file di /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")
	expect("/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so", SourceP11Kit, ModuleDuplicate, "stesso file")
	// The user's file overrides the system one with the same name.
	expect("/home/u/lib/mysofthsm.so", SourceP11Kit, "", "")
	if _, ok := got["/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so|p11-kit"]; ok {
		t.Error("the system softhsm2.module was not overridden by the user's")
	}
	expect("/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-trust.so", SourceP11Kit, ModuleSkipped, "certificati di fiducia")
	expect("/opt/vendor/libgone.so", SourceP11Kit, ModuleNotFound, "non installato")
	for _, m := range mods {
		if m.Source == SourceVendor && m.Vendor == "" {
			t.Errorf("%s has no vendor", m.Path)
		}
	}
	// Vendors come before p11-kit.
	if mods[0].Source != SourceVendor || mods[len(mods)-1].Source != SourceP11Kit {
		t.Errorf("order: first %s, last %s", mods[0].Source, mods[len(mods)-1].Source)
	}
}

func TestDiscoverExplicitAndEnv(t *testing.T) {
	root := tree(t, map[string]string{"/opt/a.so": "elf", "/opt/b.so": "elf"})
	mods := Discover(DiscoverOptions{GOOS: "linux", Root: root, Explicit: []string{"/opt/a.so", "/opt/missing.so", "/opt/a.so"}, Env: "/opt/b.so"})
	if len(mods) != 3 {
		t.Fatalf("got %d modules, want the 3 given: %+v", len(mods), mods)
	}
	if mods[0].Source != SourceOption || !mods[0].NeedsProbe() {
		t.Errorf("first: %+v", mods[0])
	}
	if mods[1].Status != ModuleFault || mods[1].Fault.Kind != FaultMissing || !strings.Contains(mods[1].Reason, "/opt/missing.so non esiste") {
		t.Errorf("missing: %+v", mods[1])
	}
	if mods[2].Status != ModuleDuplicate {
		t.Errorf("repeated: %+v", mods[2])
	}

	mods = Discover(DiscoverOptions{GOOS: "linux", Root: root, Env: "/opt/a.so" + string(os.PathListSeparator) + " /opt/b.so "})
	if len(mods) != 2 || mods[0].Source != SourceEnv || mods[1].Path != "/opt/b.so" || !mods[1].NeedsProbe() {
		t.Errorf("env: %+v", mods)
	}
}

func TestVendorTables(t *testing.T) {
	has := func(vm []VendorModule, vendor, suffix string) bool {
		for _, v := range vm {
			if v.Vendor == vendor && strings.HasSuffix(v.Path, suffix) {
				return true
			}
		}
		return false
	}
	win := VendorModules(DiscoverOptions{GOOS: "windows", Getenv: func(k string) string {
		return map[string]string{"SystemRoot": `D:\Win`}[k]
	}})
	for _, c := range []struct{ vendor, file string }{
		{"Bit4id", `D:\Win\System32\bit4xpki.dll`}, {"Bit4id", "bit4p11.dll"}, {"Athena/ASE", "asepkcs.dll"},
		{"Incard", "incryptoki2.dll"}, {"Oberthur/IDEMIA", `C:\Program Files\Oberthur Technologies\AWP\DLLs\OCSCryptoki.dll`},
		{"OpenSC", "opensc-pkcs11.dll"}, {"CIE (IPZS)", `D:\Win\System32\CIEPKI.dll`},
		{"Siemens/Atos CardOS", "SI_PKCS11.dll"}, {"Charismathics", "cmP1164.dll"}, {"Charismathics", "cmP11.dll"},
		{"InfoCamere/Telecom (IPM)", "IpmPki32.dll"}, {"InfoCamere/Telecom (IPM)", "IPMpkiLC.dll"},
	} {
		if !has(win, c.vendor, c.file) {
			t.Errorf("windows table lacks %s %s", c.vendor, c.file)
		}
	}
	mac := VendorModules(DiscoverOptions{GOOS: "darwin"})
	if !has(mac, "Bit4id", "/Library/bit4id/pkcs11/libbit4xpki.dylib") || !has(mac, "OpenSC", "/Library/OpenSC/lib/opensc-pkcs11.so") {
		t.Errorf("darwin table %v", mac)
	}
	if !has(mac, "CIE (IPZS)", "/Library/ipzs/libcie-pkcs11.dylib") {
		t.Errorf("darwin table lacks the CIE middleware: %v", mac)
	}
	if lin := VendorModules(DiscoverOptions{GOOS: "linux", GOARCH: "amd64"}); !has(lin, "CIE (IPZS)", "/usr/local/lib/libcie-pkcs11.so") {
		t.Errorf("linux table lacks the CIE middleware: %v", lin)
	}
	for _, v := range win {
		if !strings.HasPrefix(v.Path, `D:\Win\System32\`) && !strings.HasPrefix(v.Path, `C:\Program Files\`) {
			t.Errorf("windows path outside System32 and Program Files: %s", v.Path)
		}
	}
	arm := VendorModules(DiscoverOptions{GOOS: "linux", GOARCH: "arm64"})
	if !has(arm, "OpenSC", "/usr/lib/aarch64-linux-gnu/pkcs11/opensc-pkcs11.so") || !has(arm, "Athena/ASE", "/lib/libASEP11.so") {
		t.Errorf("linux/arm64 table %v", arm)
	}
}
