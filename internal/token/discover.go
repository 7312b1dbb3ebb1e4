package token

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// EnvModule names the environment variable that replaces discovery with a
// list of modules (separated like PATH).
const EnvModule = "SPORTELLO_PKCS11_MODULE"

// DiscoverOptions says where to look for PKCS#11 modules.
type DiscoverOptions struct {
	Explicit []string // --module, in order; when set, nothing else is tried
	Env      string   // the value of SPORTELLO_PKCS11_MODULE; used when Explicit is empty
	GOOS     string   // runtime.GOOS
	GOARCH   string   // runtime.GOARCH
	Home     string   // the user's home directory (p11-kit user registry)
	// Root prefixes every absolute path looked at; "" is the real root.
	// Tests point it at a fixture tree.
	Root string
	// Getenv reads Windows' SystemRoot and ProgramFiles; nil means os.Getenv.
	Getenv func(string) string
}

// VendorModule is one entry of the per-OS table of known libraries.
type VendorModule struct {
	Vendor string
	Path   string
}

// multiarch is the Debian multiarch triplet for GOARCH.
func multiarch(goarch string) string {
	switch goarch {
	case "arm64":
		return "aarch64-linux-gnu"
	case "386":
		return "i386-linux-gnu"
	case "arm":
		return "arm-linux-gnueabihf"
	}
	return "x86_64-linux-gnu"
}

// VendorModules is the table of places where the vendors of Italian
// signature devices install their PKCS#11 library on goos. Sources, for
// each name (checked when written; a name is listed only if one of them
// gives it for the OS):
//
//   - [W] damianofalcioni/Websocket-Smart-Card-Signer, SignUtils.java
//     standardDllList: the DLLs Italian signing tools look for in System32
//     (incryptoki2, bit4ipki, bit4opki, bit4xpki, OCSCryptoki, asepkcs,
//     SI_PKCS11, cmP11, cmP11_M4, IpmPki32, IPMpkiLC, IpmPkiLU, bit4cpki,
//     bit4p11, inp11lib, opensc-pkcs11) and the Linux and macOS names.
//   - [F] a Formez signing page's driver list (card families per DLL:
//     SI_pkcs11 InfoCamere/BNL 140*/150*, IpmPki32 and IpmPkiLC
//     InfoCamere/Telecom 1201*-1203*, incryptoki2 InfoCamere/PosteCom
//     7420*/1204*, CardOS_PKCS11 Siemens/Eutron, bit4ipki/bit4opki
//     InfoCamere, cmp11 Charismathics, siecap11 Siemens, asepkcs Athena).
//   - [C] alapierre/crypto-util digital-signature/readme.md and several
//     signing tools: Charismathics' 64-bit cmP1164.dll in System32.
//   - [CIE] italia/cie-middleware README (CIEPKI.dll is the PKCS#11 and CSP
//     library, 32 and 64 bit) and the CIE manuals' Firefox steps:
//     C:\Windows\System32\CIEPKI.dll, /usr/local/lib/libcie-pkcs11.so
//     (also the cie-middleware RPM spec), /Library/ipzs/libcie-pkcs11.dylib.
//   - [O] OpenSC's Windows installer and Debian's opensc-pkcs11 package.
//
// On Windows only System32 is searched (and the vendors' Program Files
// folders): a 64-bit sportello cannot load the 32-bit DLLs of SysWOW64,
// and a 32-bit DLL found in System32 is named as such by the probe.
func VendorModules(o DiscoverOptions) []VendorModule {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	var t []VendorModule
	add := func(vendor string, paths ...string) {
		for _, p := range paths {
			t = append(t, VendorModule{vendor, p})
		}
	}
	const (
		bit4id        = "Bit4id"
		athena        = "Athena/ASE"
		incard        = "Incard"
		idemia        = "Oberthur/IDEMIA"
		opensc        = "OpenSC"
		cie           = "CIE (IPZS)"
		siemens       = "Siemens/Atos CardOS"
		charismathics = "Charismathics"
		cryptovision  = "CryptoVision"
		italtel       = "InfoCamere/Telecom (IPM)"
	)
	switch o.GOOS {
	case "windows":
		sys := orDefault(getenv("SystemRoot"), `C:\Windows`) + `\System32\`
		pf := orDefault(getenv("ProgramFiles"), `C:\Program Files`)
		in := func(names ...string) []string {
			for i, n := range names {
				names[i] = sys + n
			}
			return names
		}
		add(bit4id, in("bit4xpki.dll", "bit4ipki.dll", "bit4opki.dll", "bit4cpki.dll", "bit4p11.dll")...) // [W] [F]
		add(cie, in("CIEPKI.dll")...)                                                                     // [CIE]
		add(athena, in("asepkcs.dll")...)                                                                 // [W] [F]
		add(incard, in("incryptoki2.dll", "inp11lib.dll")...)                                             // [W] [F]
		add(idemia, in("OCSCryptoki.dll")...)                                                             // [W]
		add(idemia, pf+`\Oberthur Technologies\AWP\DLLs\OCSCryptoki.dll`)
		add(siemens, in("SI_PKCS11.dll", "CardOS_PKCS11.dll", "siecap11.dll")...)                  // [W] [F]
		add(charismathics, in("cmP1164.dll", "cmP11.dll", "cmP11_M4.dll")...)                      // [C] [W] [F]
		add(cryptovision, in("cvP11.dll")...)                                                      // [F] (cvP11_M4.dll) and [C]
		add(italtel, in("IpmPki32.dll", "IPMpkiLC.dll", "IpmPkiLU.dll")...)                        // [W] [F]
		add(opensc, sys+"opensc-pkcs11.dll", pf+`\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll`) // [O]
	case "darwin":
		add(bit4id, "/Library/bit4id/pkcs11/libbit4xpki.dylib", "/Library/bit4id/pkcs11/libbit4ipki.dylib")
		add(cie, "/Library/ipzs/libcie-pkcs11.dylib") // [CIE]
		add(athena, "/usr/local/lib/libASEP11.dylib")
		add(opensc, "/Library/OpenSC/lib/opensc-pkcs11.so")
	default: // linux and the other unixes
		ma := multiarch(o.GOARCH)
		for _, lib := range []string{"libbit4xpki.so", "libbit4ipki.so", "libbit4opki.so"} {
			add(bit4id, "/usr/lib/"+lib, "/usr/lib/bit4id/"+lib)
		}
		add(cie, "/usr/local/lib/libcie-pkcs11.so") // [CIE]
		add(athena, "/lib/libASEP11.so", "/lib64/libASEP11.so", "/usr/lib/libASEP11.so")
		add(opensc, "/usr/lib/"+ma+"/opensc-pkcs11.so", "/usr/lib/"+ma+"/pkcs11/opensc-pkcs11.so",
			"/usr/lib64/opensc-pkcs11.so", "/usr/lib64/pkcs11/opensc-pkcs11.so")
	}
	return t
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Discover lists the modules to try, in order, each already marked
// not_found, duplicate, skipped or fault (a missing explicit path), or
// left for the probe (NeedsProbe).
func Discover(o DiscoverOptions) []Module {
	d := discoverer{o: o, seen: map[string]string{}}
	switch {
	case len(o.Explicit) > 0:
		for _, p := range o.Explicit {
			d.explicit(p, SourceOption)
		}
	case strings.TrimSpace(o.Env) != "":
		for _, p := range filepath.SplitList(o.Env) {
			if p = strings.TrimSpace(p); p != "" {
				d.explicit(p, SourceEnv)
			}
		}
	default:
		for _, v := range VendorModules(o) {
			d.known(Module{Path: v.Path, Source: SourceVendor, Vendor: v.Vendor})
		}
		if SearchesP11Kit(o.GOOS) {
			for _, m := range p11KitModules(o) {
				d.known(m)
			}
		}
	}
	return d.mods
}

// SearchesP11Kit reports whether discovery reads the p11-kit registry on
// goos: only on Linux, where distributions register modules with it; on
// Windows and macOS messages must not speak of it.
func SearchesP11Kit(goos string) bool { return goos == "linux" }

type discoverer struct {
	o    DiscoverOptions
	mods []Module
	seen map[string]string // resolved path -> first path that had it
}

// fsPath is where p is on the file system: under Root when set.
func (o DiscoverOptions) fsPath(p string) string {
	if o.Root == "" {
		return p
	}
	return filepath.Join(o.Root, p)
}

// explicit adds a module the user named: a missing file is a fault.
func (d *discoverer) explicit(p string, src Source) {
	if abs, err := filepath.Abs(p); err == nil && d.o.Root == "" {
		p = abs
	}
	m := Module{Path: p, Source: src}
	if _, err := os.Stat(d.o.fsPath(p)); err != nil {
		m.SetFault(Fault{Kind: FaultMissing, Detail: err.Error()})
		d.mods = append(d.mods, m)
		return
	}
	d.add(m)
}

// known adds a module from the vendor table or p11-kit: a missing file is
// just not installed.
func (d *discoverer) known(m Module) {
	if m.Status == "" {
		if _, err := os.Stat(d.o.fsPath(m.Path)); err != nil {
			m.Status, m.Reason = ModuleNotFound, "non installato"
		}
	}
	if m.Status != "" {
		d.mods = append(d.mods, m)
		return
	}
	d.add(m)
}

func (d *discoverer) add(m Module) {
	key := filepath.Clean(d.o.fsPath(m.Path))
	if r, err := filepath.EvalSymlinks(key); err == nil {
		key = r
	}
	if first, ok := d.seen[key]; ok {
		m.Status, m.Reason = ModuleDuplicate, "stesso file di "+first+", già controllato"
	} else {
		d.seen[key] = m.Path
	}
	d.mods = append(d.mods, m)
}

// p11KitModules reads the p11-kit registry: *.module files in the user's
// ~/.config/pkcs11/modules, /etc/pkcs11/modules and
// /usr/share/p11-kit/modules, a user file overriding a system one with the
// same name. Trust-policy modules (p11-kit-trust) hold CA certificates,
// not a signature device, and are skipped.
func p11KitModules(o DiscoverOptions) []Module {
	dirs := []string{"/etc/pkcs11/modules", "/usr/share/p11-kit/modules"}
	if o.Home != "" {
		dirs = append([]string{filepath.Join(o.Home, ".config/pkcs11/modules")}, dirs...)
	}
	seen := map[string]bool{}
	var out []Module
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(o.fsPath(dir), "*.module"))
		sort.Strings(files)
		for _, f := range files {
			base := filepath.Base(f)
			if seen[base] {
				continue
			}
			seen[base] = true
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			lib, trust := parseP11KitModule(data)
			if lib == "" {
				continue
			}
			m := Module{Source: SourceP11Kit, Vendor: strings.TrimSuffix(base, ".module")}
			m.Path = resolveP11KitModule(lib, o)
			if trust {
				m.Status = ModuleSkipped
				m.Reason = "archivio di p11-kit dei certificati di fiducia, non un dispositivo"
			}
			out = append(out, m)
		}
	}
	return out
}

// resolveP11KitModule turns a relative module name into the path p11-kit
// would load: the first of the usual module directories that has it.
func resolveP11KitModule(lib string, o DiscoverOptions) string {
	if filepath.IsAbs(lib) {
		return lib
	}
	cands := []string{"/usr/lib/" + multiarch(o.GOARCH) + "/pkcs11/", "/usr/lib64/pkcs11/", "/usr/lib/pkcs11/"}
	for _, dir := range cands {
		if _, err := os.Stat(o.fsPath(dir + lib)); err == nil {
			return dir + lib
		}
	}
	return cands[0] + lib
}

// parseP11KitModule reads the "module:" and "trust-policy:" keys of a
// p11-kit module file.
func parseP11KitModule(data []byte) (lib string, trust bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "module":
			lib = strings.TrimSpace(val)
		case "trust-policy":
			trust = strings.EqualFold(strings.TrimSpace(val), "yes")
		}
	}
	return lib, trust
}
