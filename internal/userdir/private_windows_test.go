package userdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// Run on Windows, or under Wine by TestWindowsUnderWine.

// The access list WriteNew gives a file is protected (not inherited) with
// one entry, full control for the current user, and Windows accepts it
// for a file. Under Wine the test stops there: Wine does not keep a
// file's access list (seen with Wine 8: no extended attribute is written,
// and reading the list back gives Wine's default one, derived from the
// Unix mode), so that Windows then applies it cannot be shown here.
func TestPrivateFileACL(t *testing.T) {
	sd, err := privateDescriptor(false)
	if err != nil {
		t.Fatal(err)
	}
	ctl, _, err := sd.Control()
	if err != nil || ctl&windows.SE_DACL_PROTECTED == 0 {
		t.Errorf("the access list would be inherited (control %#x, %v)", ctl, err)
	}
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sd.String(), "D:P(A;;FA;;;"+user.User.Sid.String()+")"; got != want {
		t.Errorf("access list %s, want %s", got, want)
	}
	p := filepath.Join(scratch(t), "rapporto.json")
	if err := os.WriteFile(p, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Private(p, false); err != nil {
		t.Errorf("SetNamedSecurityInfo refused the access list: %v", err)
	}
	if data, err := os.ReadFile(p); err != nil || string(data) != "{}" {
		t.Errorf("the user cannot read the file back: %q %v", data, err)
	}
}

// Documents is the Documents known folder, which exists.
func TestDocumentsWindows(t *testing.T) {
	d, ok := Documents()
	if !ok || !filepath.IsAbs(d) {
		t.Fatalf("Documents = %q %v", d, ok)
	}
	if base := filepath.Base(d); !strings.EqualFold(base, "Documents") && !strings.EqualFold(base, "Documenti") {
		t.Errorf("Documents = %q", d)
	}
}
