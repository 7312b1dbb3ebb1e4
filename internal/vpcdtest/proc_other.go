//go:build !linux

package vpcdtest

import (
	"net"
	"syscall"
)

func dieWithParent() *syscall.SysProcAttr { return nil }

// Hang and Resume need POSIX job-control signals.
func (d *Daemon) Hang()   { d.t.Fatal("vpcdtest: Hang needs Linux") }
func (d *Daemon) Resume() {}

func quickAck(net.Conn) {}
