package station

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// Windows: the Uninstall keys of the registry, which "Impostazioni → App"
// lists: HKLM in its 64-bit and 32-bit views (per-machine installs) and
// HKCU (per-user installs, such as GoSign Desktop's own installer since
// 2023). Values are read with a fixed buffer, so a huge or garbage value
// costs at most maxValue bytes.

const uninstallKey = `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`

// maxValue is the largest registry value read; a longer one is skipped.
const maxValue = 64 << 10

// maxSubKeys bounds the Uninstall entries read per view.
const maxSubKeys = 20000

var uninstallViews = []struct {
	root   registry.Key
	access uint32
	scope  Scope
	source string
}{
	{registry.LOCAL_MACHINE, registry.WOW64_64KEY, ScopeMachine, "HKLM (64 bit)"},
	{registry.LOCAL_MACHINE, registry.WOW64_32KEY, ScopeMachine32, "HKLM (32 bit)"},
	{registry.CURRENT_USER, 0, ScopeUser, "HKCU"},
}

func readSoftware(ctx context.Context, o Options, s *Software) {
	for _, v := range uninstallViews {
		entries, err := readUninstall(ctx, v.root, v.access, v.scope, v.source)
		if err != nil {
			s.Errors = append(s.Errors, fmt.Sprintf("registro %s non leggibile", v.source))
			continue
		}
		s.Sources = append(s.Sources, v.source)
		s.classify(entries)
	}
	s.Sources = append(s.Sources, "cartelle note")
	s.addGoSignFolders(o, goSignDirs(), squirrelVersion)
	sys := env("SystemRoot", `C:\Windows`)
	for _, p := range []string{sys + `\System32\bit4xpki.dll`, sys + `\SysWOW64\bit4xpki.dll`} {
		d := driverFile("xpki", p, p)
		if d.Found && d.Error == "" {
			d.Version = fileVersion(p)
		}
		s.DriverFiles = append(s.DriverFiles, d)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// goSignDirs are where GoSign Desktop installs: per user under
// %LOCALAPPDATA%, per machine under %ProgramFiles% (its MSI's
// APPLICATIONFOLDER).
func goSignDirs() []scopedDir {
	var out []scopedDir
	if la := os.Getenv("LOCALAPPDATA"); la != "" {
		out = append(out, scopedDir{la + `\InfoCert\GoSign Desktop`, ScopeUser})
	}
	out = append(out, scopedDir{env("ProgramFiles", `C:\Program Files`) + `\InfoCert\GoSign Desktop`, ScopeMachine})
	if pf := os.Getenv("ProgramFiles(x86)"); pf != "" {
		out = append(out, scopedDir{pf + `\InfoCert\GoSign Desktop`, ScopeMachine32})
	}
	return out
}

// squirrelVersion is the highest "app-X.Y.Z" folder of a Squirrel install
// ("" when there is none).
func squirrelVersion(dir string) string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	best := ""
	for i, e := range ents {
		if i > 1000 {
			break
		}
		if v, ok := strings.CutPrefix(e.Name(), "app-"); ok && e.IsDir() && (best == "" || CompareVersions(best, v) < 0) {
			best = v
		}
	}
	return clip(best)
}

// readUninstall lists the entries of one Uninstall view that Settings →
// Apps shows: a DisplayName, no SystemComponent flag, not an update of
// another entry (ParentKeyName).
func readUninstall(ctx context.Context, root registry.Key, access uint32, scope Scope, source string) ([]installed, error) {
	k, err := registry.OpenKey(root, uninstallKey, registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE|access)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer k.Close()
	names, err := k.ReadSubKeyNames(maxSubKeys)
	if err != nil && !errors.Is(err, io.EOF) { // io.EOF: fewer than maxSubKeys
		return nil, err
	}
	var out []installed
	for i, name := range names {
		if i%64 == 0 && ctx.Err() != nil {
			break
		}
		sk, err := registry.OpenKey(k, name, registry.QUERY_VALUE|access)
		if err != nil {
			continue
		}
		e := installed{Name: regText(sk, "DisplayName"), Version: regText(sk, "DisplayVersion"),
			Publisher: regText(sk, "Publisher"), Location: regText(sk, "InstallLocation"), Scope: scope, Source: source}
		if e.Version == "" {
			if maj, ok := regDWORD(sk, "VersionMajor"); ok {
				min, _ := regDWORD(sk, "VersionMinor")
				e.Version = fmt.Sprintf("%d.%d", maj, min)
			}
		}
		hidden, _ := regDWORD(sk, "SystemComponent")
		parent := regText(sk, "ParentKeyName")
		sk.Close()
		if e.Name == "" || hidden == 1 || parent != "" {
			continue
		}
		if e.Location == "" {
			e.Location = rootName(root) + `\` + uninstallKey + `\` + clip(name)
		}
		out = append(out, e)
	}
	return out, nil
}

func rootName(k registry.Key) string {
	if k == registry.CURRENT_USER {
		return "HKCU"
	}
	return "HKLM"
}

// regValue reads a value of at most maxValue bytes.
func regValue(k registry.Key, name string) ([]byte, uint32, bool) {
	buf := make([]byte, 1024)
	n, typ, err := k.GetValue(name, buf)
	if errors.Is(err, registry.ErrShortBuffer) {
		if n <= 0 || n > maxValue {
			return nil, typ, false
		}
		buf = make([]byte, n)
		n, typ, err = k.GetValue(name, buf)
	}
	if err != nil || n > len(buf) {
		return nil, typ, false
	}
	return buf[:n], typ, true
}

// regText is a string value, cut to maxText; another type is "".
func regText(k registry.Key, name string) string {
	b, typ, ok := regValue(k, name)
	if !ok || (typ != registry.SZ && typ != registry.EXPAND_SZ) {
		return ""
	}
	return clip(strings.TrimSpace(decodeUTF16(b)))
}

func regDWORD(k registry.Key, name string) (uint32, bool) {
	b, typ, ok := regValue(k, name)
	if !ok || typ != registry.DWORD || len(b) != 4 {
		return 0, false
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24, true
}

// fileVersion is the FileVersion of a file's version resource
// (VS_FIXEDFILEINFO), "" when it has none.
func fileVersion(path string) string {
	size, err := windows.GetFileVersionInfoSize(path, nil)
	if err != nil || size == 0 || size > 1<<20 {
		return ""
	}
	buf := make([]byte, size)
	if windows.GetFileVersionInfo(path, 0, size, unsafe.Pointer(&buf[0])) != nil {
		return ""
	}
	var fixed *windows.VS_FIXEDFILEINFO
	var n uint32
	if windows.VerQueryValue(unsafe.Pointer(&buf[0]), `\`, unsafe.Pointer(&fixed), &n) != nil || fixed == nil || n == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d.%d", fixed.FileVersionMS>>16, fixed.FileVersionMS&0xffff, fixed.FileVersionLS>>16, fixed.FileVersionLS&0xffff)
}
