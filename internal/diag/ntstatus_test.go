package diag

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/token"
)

func TestExceptionFault(t *testing.T) {
	cases := []struct {
		name      string
		exit      int
		reported  uint32
		crash     bool
		exception string
		detail    string
	}{
		{"access violation", 3221225477, 0, true, "0xC0000005", "violazione di accesso alla memoria (STATUS_ACCESS_VIOLATION)"},
		{"stack overflow", 0xC00000FD, 0, true, "0xC00000FD", "stack esaurito"},
		{"fail fast", 0xC0000409, 0, true, "0xC0000409", "STATUS_STACK_BUFFER_OVERRUN"},
		{"DLL not found", 0xC0000135, 0, true, "0xC0000135", "manca una DLL necessaria"},
		{"entry point not found", 0xC0000139, 0, true, "0xC0000139", "STATUS_ENTRYPOINT_NOT_FOUND"},
		{"delay load", 0xC06D007E, 0, true, "0xC06D007E", "carica durante l'uso"},
		{"unknown exception", 0xC0001234, 0, true, "0xC0001234", "eccezione di Windows non gestita"},
		{"Go runtime's report", 2, 0xC0000005, true, "0xC0000005", "violazione di accesso"},
		{"plain exit", 3, 0, false, "", ""},
		{"exit 255", 255, 0, false, "", ""},
		{"no exit code", -1, 0, false, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, ok := exceptionFault(c.exit, "C_GetSlotList", c.reported)
			if ok != c.crash {
				t.Fatalf("crash %v, want %v: %+v", ok, c.crash, f)
			}
			if !ok {
				return
			}
			if f.Kind != token.FaultCrash || f.Call != "C_GetSlotList" || f.Exception != c.exception || !strings.Contains(f.Detail, c.detail) {
				t.Errorf("got %+v", f)
			}
			m := token.Module{Path: `C:\Windows\System32\bit4xpki.dll`}
			m.SetFault(f)
			if strings.Contains(m.Reason, "codice 32") || !strings.Contains(m.Reason, "si è arrestato in modo anomalo") ||
				!strings.Contains(m.Reason, "eccezione "+c.exception) || !strings.Contains(m.Reason, "durante C_GetSlotList") {
				t.Errorf("message %q", m.Reason)
			}
		})
	}
}

func TestReportedException(t *testing.T) {
	for line, want := range map[string]uint32{
		"Exception 0xc0000005 0x0 0x0 0x7ffb1c2d1234": 0xC0000005,
		"Exception 0xc00000fd 0x1 0x2 0x3":            0xC00000FD,
		"Exception 0x5 0x0 0x0 0x0":                   0, // not an NTSTATUS
		"exception 0xc0000005 0x0":                    0,
		"PC=0x7ffb1c2d1234":                           0,
	} {
		if got := reportedException(line); got != want {
			t.Errorf("%q: %#x, want %#x", line, got, want)
		}
	}
	w := &stderrWatcher{}
	w.Write([]byte("sportello-probe: call C_GetTokenInfo\nException 0xc0000005 0x0 0x0 0x7ff\nPC=0x7ff\nsignal arrived during external code execution\n"))
	if w.exception != 0xC0000005 || w.lastCall != "C_GetTokenInfo" {
		t.Errorf("watcher: exception %#x call %q", w.exception, w.lastCall)
	}
}
