package userdir

import "golang.org/x/sys/windows"

// Private gives the file or folder at path an access list of its own,
// not inherited from its folder: full control for the current user,
// nobody else; on a folder, inherited by what is created in it.
// (os.OpenFile's mode only sets the read-only attribute on Windows; a file
// in Documents or under the profile would otherwise inherit that folder's
// list, which also lets SYSTEM and the Administrators in, and a folder
// chosen by hand may let in everybody. Administrators can still take
// ownership: that is as far as Windows lets a user go.)
func Private(path string, dir bool) error {
	sd, err := privateDescriptor(dir)
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
// control (FA) for the current user, inherited by files and folders
// (OICI) when it is a folder's.
func privateDescriptor(dir bool) (*windows.SECURITY_DESCRIPTOR, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	inherit := ""
	if dir {
		inherit = "OICI"
	}
	return windows.SecurityDescriptorFromString("D:P(A;" + inherit + ";FA;;;" + user.User.Sid.String() + ")")
}
