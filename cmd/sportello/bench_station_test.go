package main

import (
	"errors"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/tokentest"
	"github.com/sportello/sportello/internal/vpcdtest"
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
	d := vpcdtest.Start(b, vpcdtest.Options{Readers: true})
	atr, err := station.ParseATRHex("3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D")
	if err != nil {
		b.Fatal(err)
	}
	d.Card(0).Insert(b, atr)
	b.Setenv("PCSCLITE_CSOCK_NAME", d.Socket)
	bin := tokentest.Sportello(b)
	with := [][]string{{bin, "diagnose", "--module", h.Module, "--format", "json"}}
	without := [][]string{{bin, "diagnose", "--module", h.Module, "--format", "json", "--no-workstation"}}
	runDiagnose(b, with) // warm the caches of both
	runDiagnose(b, without)
	b.Run("pcscd", func(b *testing.B) {
		var on, off []time.Duration
		for i := range b.N {
			if i%2 == 0 {
				on = append(on, runDiagnose(b, with))
				off = append(off, runDiagnose(b, without))
			} else {
				off = append(off, runDiagnose(b, without))
				on = append(on, runDiagnose(b, with))
			}
		}
		mon, moff := median(on), median(off)
		b.ReportMetric(ms(mon), "with-ms")
		b.ReportMetric(ms(moff), "without-ms")
		b.ReportMetric(float64(mon)/float64(moff), "ratio")
		b.Log(fmt.Sprintf("with workstation %.1f ms, without %.1f ms (medians of %d)", ms(mon), ms(moff), len(on)))
	})
}

// runDiagnose runs the commands like runAll, accepting exit code 1: the
// machine's workstation may have a problem to report (no GoSign Desktop
// here), which is a diagnosis, not a failed run.
func runDiagnose(b *testing.B, cmds [][]string) time.Duration {
	start := time.Now()
	for _, c := range cmds {
		out, err := exec.Command(c[0], c[1:]...).CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
			b.Fatalf("%v: %v\n%s", c, err, out)
		}
	}
	return time.Since(start)
}
