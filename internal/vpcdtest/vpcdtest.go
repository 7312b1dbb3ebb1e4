// Package vpcdtest runs the real PC/SC stack for tests: a private pcscd
// (Debian's pcsc-lite 1.9.9) with the vsmartcard virtual reader driver
// (vsmartcard-vpcd), and virtual cards written in Go that speak vpcd's
// protocol. Nothing here is a mock of PC/SC: the product reads the real
// daemon through the real libpcsclite.
//
// Isolation from the system and from other test runs:
//
//   - pcscd 1.9.9 takes its socket path from a compile-time constant
//     (/run/pcscd/pcscd.comm); only its clients honour PCSCLITE_CSOCK_NAME
//     (src/winscard_msg.c). But pcscd accepts an already listening socket
//     by systemd's socket-activation protocol (sd_listen_fds in
//     src/pcscdaemon.c: LISTEN_FDS=1, LISTEN_PID, the socket as fd 3), and
//     then neither checks nor removes the system socket. So the test binds
//     a socket in its own temporary directory, hands it over that way and
//     points PCSCLITE_CSOCK_NAME at it. pcscd still writes its pid file
//     /run/pcscd/pcscd.pid, which no client reads.
//   - The readers come from a private reader.conf directory (pcscd -c):
//     vpcd in server mode (DEVICENAME /dev/null:PORT) listens on PORT and
//     PORT+1 for its two slots, "<name> 00 00" and "<name> 00 01", on a
//     pair of ports found free at start; a start whose ports were taken
//     meanwhile is retried on others. vpcd's client mode is not usable:
//     Debian's vpcd 0.8 crashes pcscd ("bit out of range 0 - FD_SETSIZE")
//     when the card is not listening.
//   - pcscd also scans the USB bus for real readers (libudev); on a
//     machine with one plugged in it shows up beside the virtual ones.
//
// Nothing here skips: a missing pcscd or vpcd fails the test with a
// message saying to run `make test`, which installs them. The daemon
// runs on Linux only; elsewhere the package compiles and Start fails.
package vpcdtest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Paths of Debian's pcscd and vpcd driver.
var (
	PcscdPath = "/usr/sbin/pcscd"
	VpcdPath  = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
)

// Options configure a daemon.
type Options struct {
	// Readers adds the virtual reader (two slots); without it the daemon
	// has no reader at all.
	Readers bool
	// Name is the readers' friendly name (default "Virtual PCD"); pcscd
	// takes any bytes but a quote or a newline.
	Name string
}

// Daemon is a private pcscd, stopped when the test ends.
type Daemon struct {
	Dir    string // its temporary directory
	Socket string // its socket: clients need PCSCLITE_CSOCK_NAME=Socket
	Port   int    // vpcd's port for slot 0 (slot 1 is Port+1); 0 without readers
	Name   string // the readers' friendly name

	cmd     *exec.Cmd
	log     *logBuffer
	stopped bool
	cards   [2]*Card
	t       testing.TB
}

// Env is the environment entry that points PC/SC clients at d.
func (d *Daemon) Env() string { return "PCSCLITE_CSOCK_NAME=" + d.Socket }

// Reader is the name of slot's reader ("Virtual PCD 00 00").
func (d *Daemon) Reader(slot int) string { return fmt.Sprintf("%s 00 %02d", d.Name, slot) }

// Need fails t when pcscd or vpcd is missing.
func Need(t testing.TB) {
	t.Helper()
	for _, p := range []string{PcscdPath, VpcdPath} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s is missing: run `make test`, which installs pcscd and vsmartcard-vpcd (.ci/install-deps)", p)
		}
	}
}

// Start starts a private pcscd with options o.
func Start(t testing.TB, o Options) *Daemon {
	t.Helper()
	Need(t)
	if o.Name == "" {
		o.Name = "Virtual PCD"
	}
	var lastErr error
	for attempt := 0; attempt < 6; attempt++ {
		d, err := start(t, o)
		if err == nil {
			t.Cleanup(d.Stop)
			return d
		}
		lastErr = err
		if !o.Readers {
			break
		}
	}
	t.Fatalf("starting pcscd: %v", lastErr)
	return nil
}

func start(t testing.TB, o Options) (*Daemon, error) {
	dir, err := os.MkdirTemp("", "sportello-pcscd-")
	if err != nil {
		return nil, err
	}
	d := &Daemon{Dir: dir, Socket: filepath.Join(dir, "pcscd.comm"), Name: o.Name, log: newLogBuffer(), t: t}
	conf := filepath.Join(dir, "reader.conf.d")
	if err := os.Mkdir(conf, 0o700); err != nil {
		return nil, err
	}
	if o.Readers {
		d.Port, err = freePortPair()
		if err != nil {
			return nil, err
		}
		rc := fmt.Sprintf("FRIENDLYNAME \"%s\"\nDEVICENAME /dev/null:%d\nLIBPATH %s\nCHANNELID %d\n", o.Name, d.Port, VpcdPath, d.Port)
		if err := os.WriteFile(filepath.Join(conf, "vpcd"), []byte(rc), 0o600); err != nil {
			return nil, err
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: d.Socket, Net: "unix"})
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(false)
	f, err := ln.File()
	ln.Close()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// sd_listen_fds wants LISTEN_PID to be pcscd's own pid: the shell
	// exports its pid, then becomes pcscd with exec.
	d.cmd = exec.Command("/bin/sh", "-c", `LISTEN_PID=$$; LISTEN_FDS=1; export LISTEN_PID LISTEN_FDS; exec "$0" "$@"`,
		PcscdPath, "--foreground", "--debug", "--config", conf)
	d.cmd.ExtraFiles = []*os.File{f} // fd 3, SD_LISTEN_FDS_START
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	d.cmd.SysProcAttr = dieWithParent()
	if err := d.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { _ = d.cmd.Wait(); d.log.close() }()
	ready := d.log.wait(10*time.Second, "daemon ready")
	if !ready || !d.log.has("Started by systemd") {
		d.Stop()
		return nil, fmt.Errorf("pcscd did not start on its private socket:\n%s", d.log.String())
	}
	if err := d.waitServing(); err != nil {
		d.Stop()
		return nil, err
	}
	if o.Readers {
		for slot := 0; slot < 2; slot++ {
			if !d.log.has(fmt.Sprintf("Waiting for virtual ICC on port %d", d.Port+slot)) || d.log.has("Could not initialize connection to virtual ICC") {
				d.Stop()
				return nil, fmt.Errorf("vpcd could not listen on port %d:\n%s", d.Port+slot, d.log.String())
			}
		}
		for slot := range d.cards {
			d.cards[slot] = &Card{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(d.Port+slot)), d: d, reader: d.Reader(slot)}
		}
	}
	return d, nil
}

// waitServing waits until pcscd serves clients: it logs "daemon ready"
// before its readers' event threads have read their first state, and
// only then accepts connections (RFWaitForReaderInit in pcscdaemon.c).
// A card connected before that is found present at start, with no "Card
// inserted" line. So it asks the protocol version the way libpcsclite
// does (CMD_VERSION 0x11: a size and command header, then major 4,
// minor 4, rv, host byte order) and waits for the answer.
func (d *Daemon) waitServing() error {
	conn, err := net.DialTimeout("unix", d.Socket, 10*time.Second)
	if err != nil {
		return fmt.Errorf("connecting to pcscd: %v", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	msg := binary.NativeEndian.AppendUint32(nil, 12)
	msg = binary.NativeEndian.AppendUint32(msg, 0x11)
	for _, v := range []uint32{4, 4, 0} {
		msg = binary.NativeEndian.AppendUint32(msg, v)
	}
	if _, err := conn.Write(msg); err != nil {
		return fmt.Errorf("asking pcscd its version: %v", err)
	}
	reply := make([]byte, 12)
	if _, err := io.ReadFull(conn, reply); err != nil {
		return fmt.Errorf("pcscd does not answer: %v\n%s", err, d.log.String())
	}
	return nil
}

// freePortPair finds two consecutive TCP ports free on every interface
// (vpcd listens on INADDR_ANY).
func freePortPair() (int, error) {
	for range 50 {
		l, err := net.Listen("tcp4", "0.0.0.0:0")
		if err != nil {
			return 0, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		l2, err := net.Listen("tcp4", fmt.Sprintf("0.0.0.0:%d", p+1))
		l.Close()
		if err == nil {
			l2.Close()
			return p, nil
		}
	}
	return 0, fmt.Errorf("no two consecutive free TCP ports")
}

// Stop stops the daemon (SIGTERM, so that it removes its pid file) and
// removes its directory. Idempotent.
func (d *Daemon) Stop() {
	if d.stopped {
		return
	}
	d.stopped = true
	for _, c := range d.cards {
		if c != nil {
			c.Remove()
		}
	}
	if d.cmd != nil && d.cmd.Process != nil {
		d.Resume()
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		if !d.log.waitClosed(5 * time.Second) {
			_ = d.cmd.Process.Kill()
			d.log.waitClosed(5 * time.Second)
		}
	}
	os.RemoveAll(d.Dir)
}

// Log is what pcscd has logged so far.
func (d *Daemon) Log() string { return d.log.String() }

// Card is the virtual card of one slot.
func (d *Daemon) Card(slot int) *Card {
	if d.cards[slot] == nil {
		d.t.Fatalf("the daemon has no virtual reader: start it with Options{Readers: true}")
	}
	return d.cards[slot]
}

// Card is a virtual card speaking vpcd's protocol: every message is a
// 2-byte big-endian length and a payload; a one-byte payload is a control
// message (0 power off, 1 power on, 2 reset, 4 send the ATR), anything
// longer an APDU, answered 6A 82 (file not found): the card holds nothing.
type Card struct {
	addr   string
	reader string
	d      *Daemon

	mu    sync.Mutex
	conn  net.Conn
	apdus int
	done  chan struct{}
}

// Insert puts a card with atr in the reader and waits until pcscd has
// seen it.
func (c *Card) Insert(t testing.TB, atr []byte) {
	t.Helper()
	c.Remove()
	mark := c.d.log.len()
	var conn net.Conn
	var err error
	for range 50 {
		if conn, err = net.Dial("tcp4", c.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("virtual card: connecting to vpcd at %s: %v", c.addr, err)
	}
	c.mu.Lock()
	c.conn = conn
	c.done = make(chan struct{})
	done := c.done
	c.mu.Unlock()
	go c.serve(conn, append([]byte(nil), atr...), done)
	if !c.d.log.waitFrom(mark, 20*time.Second, "Card inserted into "+c.reader) {
		t.Fatalf("pcscd did not see the card inserted into %q:\n%s", c.reader, c.d.log.String())
	}
}

// Remove takes the card out (closes the connection: vpcd then reports
// the slot empty). RemoveAndWait also waits for pcscd to notice.
func (c *Card) Remove() {
	c.mu.Lock()
	conn, done := c.conn, c.done
	c.conn = nil
	c.mu.Unlock()
	if conn != nil {
		conn.Close()
		<-done
	}
}

// RemoveAndWait takes the card out and waits until pcscd has seen it go.
func (c *Card) RemoveAndWait(t testing.TB) {
	t.Helper()
	mark := c.d.log.len()
	c.Remove()
	if !c.d.log.waitFrom(mark, 20*time.Second, "Card Removed From "+c.reader) {
		t.Fatalf("pcscd did not see the card removed from %q:\n%s", c.reader, c.d.log.String())
	}
}

// APDUs is how many APDUs the card has received: sportello must send none.
func (c *Card) APDUs() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.apdus
}

func (c *Card) serve(conn net.Conn, atr []byte, done chan struct{}) {
	defer close(done)
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		quickAck(conn)
		var n uint16
		if err := binary.Read(r, binary.BigEndian, &n); err != nil {
			return
		}
		msg := make([]byte, n)
		if _, err := io.ReadFull(r, msg); err != nil {
			return
		}
		var reply []byte
		switch {
		case n == 1 && msg[0] == 4: // send the ATR
			reply = atr
		case n == 1: // power off, power on, reset: no answer
			continue
		default:
			c.mu.Lock()
			c.apdus++
			c.mu.Unlock()
			reply = []byte{0x6A, 0x82}
		}
		out := binary.BigEndian.AppendUint16(nil, uint16(len(reply)))
		if _, err := conn.Write(append(out, reply...)); err != nil {
			return
		}
	}
}

// logBuffer keeps pcscd's output and lets tests wait for a line.
type logBuffer struct {
	mu     sync.Mutex
	cond   *sync.Cond
	buf    bytes.Buffer
	closed bool
}

func newLogBuffer() *logBuffer {
	l := &logBuffer{}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() < 16<<20 {
		l.buf.Write(p)
	}
	l.cond.Broadcast()
	return len(p), nil
}

func (l *logBuffer) close() {
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Len()
}

func (l *logBuffer) has(s string) bool { return strings.Contains(l.String(), s) }

func (l *logBuffer) wait(d time.Duration, s string) bool { return l.waitFrom(0, d, s) }

// waitFrom waits until s appears after byte offset from, the daemon
// exits or d passes.
func (l *logBuffer) waitFrom(from int, d time.Duration, s string) bool {
	deadline := time.Now().Add(d)
	timer := time.AfterFunc(d, func() { l.mu.Lock(); l.cond.Broadcast(); l.mu.Unlock() })
	defer timer.Stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if b := l.buf.Bytes(); from <= len(b) && bytes.Contains(b[from:], []byte(s)) {
			return true
		}
		if l.closed || time.Now().After(deadline) {
			return false
		}
		l.cond.Wait()
	}
}

func (l *logBuffer) waitClosed(d time.Duration) bool {
	deadline := time.Now().Add(d)
	timer := time.AfterFunc(d, func() { l.mu.Lock(); l.cond.Broadcast(); l.mu.Unlock() })
	defer timer.Stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.closed {
		if time.Now().After(deadline) {
			return false
		}
		l.cond.Wait()
	}
	return true
}
