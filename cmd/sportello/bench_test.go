package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/tokentest"
)

// BenchmarkTokenFacts measures getting the same facts about the same
// SoftHSM2 tokens two ways, each a whole run of processes:
//
//   - diagnose: `sportello diagnose --module M --format json`, the parent
//     and its isolated probe child;
//   - pkcs11-tool: what a help desk runs today, `pkcs11-tool --module M -L`
//     then `pkcs11-tool --module M --token-label L -O --type cert` for
//     each token.
//
// The two alternate in every iteration, so that a busy machine slows both
// alike. Reported: the median wall time of each (diagnose-ms,
// pkcs11tool-ms) and their ratio; ns/op is one iteration of both.
//
// Peak memory (diagnose-peak-KiB, pkcs11tool-peak-KiB: the largest
// resident set of any process of the run) comes from GNU time's %M, run
// once per side after the timing loop. Go's own rusage of a child cannot
// be used: Go starts children with vfork, and Linux then counts the
// parent's resident set in the child's maximum. Without /usr/bin/time the
// memory metrics are left out. It measures; it asserts nothing.
func BenchmarkTokenFacts(b *testing.B) {
	for _, tokens := range []int{1, 3} {
		var labels []string
		var devs []device
		for i := range tokens {
			labels = append(labels, fmt.Sprintf("Firma %d", i+1))
			devs = append(devs, device{labels[i], valid})
		}
		h := newTokens(b, devs...)
		tool := tokentest.Tool(b, "pkcs11-tool")
		diagnose := [][]string{{tokentest.Sportello(b), "diagnose", "--no-workstation", "--module", h.Module, "--format", "json"}}
		peer := [][]string{{tool, "--module", h.Module, "-L"}}
		for _, l := range labels {
			peer = append(peer, []string{tool, "--module", h.Module, "--token-label", l, "-O", "--type", "cert"})
		}
		b.Run(fmt.Sprintf("tokens=%d", tokens), func(b *testing.B) {
			var ours, theirs []time.Duration
			for range b.N {
				ours = append(ours, runAll(b, diagnose))
				theirs = append(theirs, runAll(b, peer))
			}
			reportMedians(b, "diagnose", ours, "pkcs11tool", theirs)
			if _, err := os.Stat("/usr/bin/time"); err != nil {
				b.Log("no /usr/bin/time (Debian package time): peak memory not measured")
				return
			}
			b.ReportMetric(float64(peakKiB(b, diagnose)), "diagnose-peak-KiB")
			b.ReportMetric(float64(peakKiB(b, peer)), "pkcs11tool-peak-KiB")
		})
	}
}

// runAll runs the commands one after the other and returns the wall time.
func runAll(b *testing.B, cmds [][]string) time.Duration {
	start := time.Now()
	for _, c := range cmds {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", c, err, out)
		}
	}
	return time.Since(start)
}

// peakKiB is the largest maximum resident set of the commands, as GNU
// time reports it (the command's own, or of the children it reaped).
func peakKiB(b *testing.B, cmds [][]string) int {
	peak := 0
	for _, c := range cmds {
		var stderr bytes.Buffer
		cmd := exec.Command("/usr/bin/time", append([]string{"-f", "maxrss=%M"}, c...)...)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("%v: %v\n%s", c, err, stderr.String())
		}
		kib, err := maxRSS(stderr.String())
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, kib)
	}
	return peak
}

// maxRSS reads the maxrss=%M that GNU time writes last on stderr (KiB).
func maxRSS(stderr string) (int, error) {
	i := strings.LastIndex(stderr, "maxrss=")
	if i < 0 {
		return 0, fmt.Errorf("no maxrss from GNU time in %q", stderr)
	}
	return strconv.Atoi(strings.TrimSpace(stderr[i+len("maxrss="):]))
}

// reportMedians reports the median wall time of each side, as
// <aName>-ms and <bName>-ms, and their ratio a/b; it returns the medians.
func reportMedians(b *testing.B, aName string, a []time.Duration, bName string, bs []time.Duration) (ma, mb time.Duration) {
	ma, mb = median(a), median(bs)
	b.ReportMetric(ms(ma), aName+"-ms")
	b.ReportMetric(ms(mb), bName+"-ms")
	b.ReportMetric(float64(ma)/float64(mb), "ratio")
	return ma, mb
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
