package userdir

import "golang.org/x/sys/windows"

// restrict gives the file at path an access list of its own, not
// inherited from its folder: full control for the current user, nobody
// else. (os.OpenFile's mode only sets the read-only attribute on Windows;
// a file in Documents would otherwise inherit that folder's list, which
// also lets SYSTEM and the Administrators in, and a folder chosen by hand
// may let in everybody.)
func restrict(path string) error {
	sd, err := privateDescriptor()
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
}

// privateDescriptor is a protected access list with one entry: full
// control (FA) for the current user.
func privateDescriptor() (*windows.SECURITY_DESCRIPTOR, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	return windows.SecurityDescriptorFromString("D:P(A;;FA;;;" + user.User.Sid.String() + ")")
}
