package main

import (
	"errors"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/tokentest"
)

// BenchmarkWorkstation measures what the workstation costs `diagnose`, on
// Linux with pcscd running: a private pcscd with the virtual reader (two
// slots, a CNS card in the first) and one SoftHSM2 token with a signature
// and a CNS certificate. Each iteration runs, alternating so that a busy
// machine slows both alike,
//
//   - with: `sportello diagnose --module M --format json` (the token
//     probe child, the PC/SC child, the USB bus, the restart markers and
//     the clock, all concurrently);
//   - without: the same with --no-workstation, which is what diagnose did
//     before the workstation (one probe child, the USB bus).
//
// Reported: the median wall time of each (with-ms, without-ms) and their
// ratio; the budget (README) is a ratio of at most 1.25. It measures; it
// asserts nothing.
func BenchmarkWorkstation(b *testing.B) {
	h := newTokens(b, device{"Firma 1", valid})
	d := withCard(b, cnsATR)
	b.Setenv("PCSCLITE_CSOCK_NAME", d.Socket)
	bin := tokentest.Sportello(b)
	with := [][]string{{bin, "diagnose", "--module", h.Module, "--format", "json"}}
	without := [][]string{{bin, "diagnose", "--module", h.Module, "--format", "json", "--no-workstation"}}
	runDiagnose(b, nil, with) // warm the caches of both
	runDiagnose(b, nil, without)
	b.Run("pcscd", func(b *testing.B) {
		var on, off []time.Duration
		for i := range b.N {
			if i%2 == 0 {
				on = append(on, runDiagnose(b, nil, with))
				off = append(off, runDiagnose(b, nil, without))
			} else {
				off = append(off, runDiagnose(b, nil, without))
				on = append(on, runDiagnose(b, nil, with))
			}
		}
		mon, moff := reportMedians(b, "with", on, "without", off)
		b.Log(fmt.Sprintf("with workstation %.1f ms, without %.1f ms (medians of %d)", ms(mon), ms(moff), len(on)))
	})
}

// runDiagnose runs the commands like runAll, in env (nil: this
// process's), accepting exit code 1: the machine's workstation may have
// a problem to report (no GoSign Desktop here), which is a diagnosis, not
// a failed run.
func runDiagnose(b *testing.B, env []string, cmds [][]string) time.Duration {
	start := time.Now()
	for _, c := range cmds {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
			b.Fatalf("%v: %v\n%s", c, err, out)
		}
	}
	return time.Since(start)
}
