//go:build unix

package station

import (
	"fmt"
	"syscall"
)

// errnoName is the errno's symbolic name (EPERM...), which reads the same
// in every language, else its number.
func errnoName(e syscall.Errno) string {
	switch e {
	case syscall.EPERM:
		return "EPERM"
	case syscall.EACCES:
		return "EACCES"
	case syscall.ENOSYS:
		return "ENOSYS"
	case syscall.EINVAL:
		return "EINVAL"
	case syscall.EIO:
		return "EIO"
	}
	return fmt.Sprintf("%d", int(e))
}
