package summary

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// stateDir is %LOCALAPPDATA%\sportello: the user's local application
// data, not roamed to other computers (a summary may hold a codice
// fiscale), where Windows programs keep such files.
func stateDir() (string, error) {
	d := os.Getenv("LOCALAPPDATA")
	if !filepath.IsAbs(d) {
		var err error
		if d, err = windows.KnownFolderPath(windows.FOLDERID_LocalAppData, 0); err != nil || d == "" {
			return "", errNoHome
		}
	}
	return filepath.Join(d, "sportello"), nil
}

// restrict gives path a protected DACL (no permissions inherited from the
// folders above) with one entry: full control for the current user, and
// on a directory inherited by what is created in it. Windows' 0600 mode
// bits mean nothing; without this a file under the profile is readable by
// the Administrators group and SYSTEM as well. Administrators can still
// take ownership: that is as far as Windows allows a user to go.
func restrict(path string, dir bool) error {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return err
	}
	inherit := uint32(windows.NO_INHERITANCE)
	if dir {
		inherit = windows.SUB_CONTAINERS_AND_OBJECTS_INHERIT
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.GENERIC_ALL,
		AccessMode:        windows.GRANT_ACCESS,
		Inheritance:       inherit,
		Trustee: windows.TRUSTEE{
			TrusteeForm:  windows.TRUSTEE_IS_SID,
			TrusteeType:  windows.TRUSTEE_IS_USER,
			TrusteeValue: windows.TrusteeValueFromSID(user.User.Sid),
		},
	}}, nil)
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
}
