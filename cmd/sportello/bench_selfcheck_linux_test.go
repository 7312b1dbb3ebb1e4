package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sportello/sportello/internal/tokentest"
)

// BenchmarkSelfCheck measures the self-check's budget: all its results on
// screen within 1.5 times the wall time of one `sportello diagnose` on the
// same machine. Each iteration runs, one after the other so that a busy
// machine slows both alike,
//
//   - selfcheck: `sportello run autodiagnosi` in a pseudo-terminal of
//     100×40 (the TUI, no key pressed), from the start of the process to
//     the frame that holds the count of the finished run («15 controlli»),
//     then q;
//   - diagnose: `sportello diagnose --format json`, the whole process;
//
// both on the same SoftHSM2 token with the whole workstation: SoftHSM2
// itself (a probe of about 10 ms), and through the fault proxy with a
// C_Initialize of 200 ms (a vendor module's load, as Bit4id's takes).
// Reported: the median of each (selfcheck-ms, diagnose-ms) and their
// ratio (budget 1.5). It measures; it asserts nothing.
func BenchmarkSelfCheck(b *testing.B) {
	h := newToken(b, valid)
	base := append(os.Environ(), "SOFTHSM2_CONF="+h.Conf, "XDG_CONFIG_HOME="+b.TempDir(), "XDG_STATE_HOME="+b.TempDir(), "TERM=xterm-256color")
	for _, c := range []struct {
		name string
		env  []string
	}{
		{"softhsm2", []string{"SPORTELLO_PKCS11_MODULE=" + h.Module}},
		{"module-200ms", []string{"SPORTELLO_PKCS11_MODULE=" + tokentest.FaultModule(b), "FAULT_REAL_MODULE=" + h.Module, "FAULT_DELAY=C_Initialize=200"}},
	} {
		env := append(append([]string{}, base...), c.env...)
		b.Run(c.name, func(b *testing.B) { benchmarkSelfCheck(b, env) })
	}
}

func benchmarkSelfCheck(b *testing.B, env []string) {
	bin := tokentest.Sportello(b)
	var tui, diag []time.Duration
	for range b.N {
		tui = append(tui, selfCheckOnScreen(b, bin, env))
		diag = append(diag, runDiagnose(b, env, [][]string{{bin, "diagnose", "--format", "json"}}))
	}
	reportMedians(b, "selfcheck", tui, "diagnose", diag)
}

// selfCheckOnScreen runs the self-check in a new pseudo-terminal and
// returns the time until its finished list is drawn.
func selfCheckOnScreen(b *testing.B, bin string, env []string) time.Duration {
	master, slave := openPTY(b, 40, 100)
	defer master.Close()
	cmd := exec.Command(bin, "run", "autodiagnosi", "--no-probe")
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	slave.Close()
	var out []byte
	buf := make([]byte, 64<<10)
	deadline := time.Now().Add(20 * time.Second)
	var took, first time.Duration
	for took == 0 {
		_ = master.SetReadDeadline(deadline)
		n, err := master.Read(buf)
		if err != nil {
			_ = cmd.Process.Kill()
			b.Fatalf("no finished self-check on screen: %v\n%q", err, out)
		}
		chunk := buf[:n]
		out = append(out, chunk...)
		// Answer what a terminal answers: the background colour and the
		// cursor position.
		if bytes.Contains(chunk, []byte("\x1b]11;?")) {
			_, _ = master.Write([]byte("\x1b]11;rgb:0000/0000/0000\x1b\\"))
		}
		if bytes.Contains(chunk, []byte("\x1b[6n")) {
			_, _ = master.Write([]byte("\x1b[1;1R"))
		}
		if first == 0 && bytes.Contains(out, []byte("Controlli in corso")) {
			first = time.Since(start)
		}
		if bytes.Contains(out, []byte("15 controlli")) {
			took = time.Since(start)
		}
	}
	if os.Getenv("SELFCHECK_DEBUG") != "" {
		b.Logf("first frame %v, all results %v", first, took)
	}
	_, _ = master.Write([]byte("q"))
	go func() { _, _ = bytesDrain(master) }()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("self-check: %v", err)
	}
	return took
}

func bytesDrain(f *os.File) (int, error) {
	buf := make([]byte, 4096)
	total := 0
	for {
		n, err := f.Read(buf)
		total += n
		if err != nil {
			return total, err
		}
	}
}

// openPTY opens a pseudo-terminal of rows×cols: the master to read what
// the program draws, the slave for its stdin, stdout and stderr.
func openPTY(b *testing.B, rows, cols uint16) (master, slave *os.File) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		b.Fatal(err)
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		b.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		b.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols}); err != nil {
		b.Fatal(err)
	}
	return m, s
}
