package diag

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/station"
)

// A PC/SC child that cannot start is told in Italian: the system's words
// (Go's "exec: …", "fork/exec …: permission denied") stay in the fault's
// detail, for the JSON, and never reach the message the user reads.
func TestPCSCChildThatCannotStart(t *testing.T) {
	for name, p := range map[string]*station.PCSC{
		"no executable":      readPCSC(context.Background(), "", errors.New("exec: \"sportello\": executable file not found in $PATH"), time.Second),
		"executable missing": readPCSC(context.Background(), "/nessuno/sportello", nil, time.Second),
	} {
		if p.Status != station.PCSCFault || p.Fault == nil {
			t.Errorf("%s: %+v", name, p)
			continue
		}
		msg := p.Fault.Message
		for _, english := range []string{"exec", "executable", "file not found", "no such file", "fork", "permission denied"} {
			if strings.Contains(strings.ToLower(msg), english) {
				t.Errorf("%s: %q in the message %q", name, english, msg)
			}
		}
		if !strings.Contains(msg, "servizio delle smart card") {
			t.Errorf("%s: the message does not say what was read: %q", name, msg)
		}
	}
}
