package vpcdtest

import (
	"net"
	"syscall"
)

// dieWithParent kills pcscd if the test binary dies.
func dieWithParent() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }

// Hang stops the daemon with SIGSTOP: a wedged pcscd, on which a client's
// SCardEstablishContext blocks. Resume (or Stop) undoes it.
func (d *Daemon) Hang() { _ = d.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume continues a daemon stopped by Hang.
func (d *Daemon) Resume() { _ = d.cmd.Process.Signal(syscall.SIGCONT) }

// quickAck makes the kernel acknowledge what the card receives at once.
// vpcd 0.8 sends each message's length and payload in two send calls, so
// with Nagle's algorithm the payload waits for the length's ACK, which
// Linux delays by 40 ms: every APDU would cost 44 ms (OpenSC probing an
// unknown card sends about 190 of them). TCP_QUICKACK is not sticky, so
// it is set before every read.
func quickAck(conn net.Conn) {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return
	}
	if rc, err := tc.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1) })
	}
}
