package diag

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// A helper process is not a fault. Some vendor modules start a helper
// (a daemon, a forked copy of the process) that outlives the probe child
// and inherits its stdout and stderr: the pipes then never reach EOF. Go's
// exec would wait for that EOF up to WaitDelay and return ErrWaitDelay,
// and the module would be declared faulty. Here the pipes are the parent's
// own: the child's exit is watched apart from them, and once the child has
// exited, what it wrote is read without waiting for the helpers to close
// their copies. The process group is killed afterwards, helpers included.

const (
	// drainMax is the longest the parent reads the pipes after the child
	// exited, when a helper holds them open and no complete report came.
	drainMax = time.Second
	// drainQuiet is how long stdout must stay quiet, after the child exited
	// with a complete report, before that report is taken.
	drainQuiet = 20 * time.Millisecond
	drainTick  = 5 * time.Millisecond
)

// childOutput collects what the child writes on its two pipes, with a lock:
// the readers run on their own goroutines.
type childOutput struct {
	mu      sync.Mutex
	out     *limitedBuffer
	watch   *stderrWatcher
	lastOut time.Time
	outEOF  chan struct{}
	errEOF  chan struct{}
	pipes   []*os.File
	closed  bool // runChild returned: what still arrives is dropped
	checked int  // length of out when it was last found incomplete
}

type lockedWriter struct {
	c      *childOutput
	w      io.Writer
	stdout bool // writes here are the report: they reset lastOut
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if l.c.closed {
		return len(p), nil
	}
	if l.stdout {
		l.c.lastOut = time.Now()
	}
	return l.w.Write(p)
}

// runChild runs cmd with its stdout and stderr on pipes, copied into out
// and watch, and returns cmd.Wait's error once the child has exited and
// its output has been read (see drain). Then it calls cmd.Cancel, which
// kills the child's process group (see isolate), helpers included. Once it
// returns, out and watch are the caller's alone.
func runChild(cmd *exec.Cmd, out *limitedBuffer, watch *stderrWatcher) error {
	c := &childOutput{out: out, watch: watch, outEOF: make(chan struct{}), errEOF: make(chan struct{})}
	outR, outW, err := os.Pipe()
	if err != nil {
		return err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return err
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	c.pipes = []*os.File{outR, errR}
	// (On Windows the child goes in its job object before it runs.)
	startErr := startIsolated(cmd)
	outW.Close() // the child has its copies
	errW.Close()
	if startErr != nil {
		outR.Close()
		errR.Close()
		return startErr
	}
	go c.copy(outR, lockedWriter{c, out, true}, c.outEOF)
	go c.copy(errR, lockedWriter{c, watch, false}, c.errEOF)
	waitErr := cmd.Wait() // returns when the child exits: nothing else holds it
	c.drain(waitErr == nil)
	if cmd.Cancel != nil {
		_ = cmd.Cancel() // the process group: helpers go too
	}
	for _, p := range c.pipes {
		p.Close()
	}
	c.mu.Lock()
	c.closed = true
	watch.flush()
	c.mu.Unlock()
	return waitErr
}

func (c *childOutput) copy(r io.Reader, w io.Writer, eof chan struct{}) {
	_, _ = io.Copy(w, r)
	close(eof)
}

// drain waits, after the child exited, until its output is read: both
// pipes at EOF; or, for a child that exited 0, stdout holding a complete
// report and quiet for drainQuiet (a helper holds the pipes); or drainMax.
func (c *childOutput) drain(exited0 bool) {
	deadline := time.NewTimer(drainMax)
	defer deadline.Stop()
	tick := time.NewTicker(drainTick)
	defer tick.Stop()
	outDone := false
	for {
		select {
		case <-c.outEOF:
			outDone = true
			c.outEOF = nil // a closed channel is ready for ever
			if exited0 && c.hasReport() {
				return
			}
		case <-c.errEOF:
			c.errEOF = nil
		case <-tick.C:
			if exited0 && c.hasReport() && c.quiet() {
				return
			}
		case <-deadline.C:
			return
		}
		if outDone && c.errEOF == nil {
			return
		}
	}
}

// hasReport reports whether stdout holds exactly one JSON value so far.
func (c *childOutput) hasReport() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out.overflow || c.out.Len() == c.checked {
		return false
	}
	if json.Valid(c.out.Bytes()) {
		return true
	}
	c.checked = c.out.Len()
	return false
}

func (c *childOutput) quiet() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Since(c.lastOut) >= drainQuiet
}
