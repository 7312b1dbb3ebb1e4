//go:build !unix && !windows

package probe

import (
	"os"

	"github.com/sportello/sportello/internal/token"
)

// checkLoadable has no loader of its own here: the binding's LoadLibrary
// reports a failure as a load fault.
func checkLoadable(string) *token.Fault { return nil }

// IsolateStdout returns stdout itself: there is no dup2 here.
func IsolateStdout() (*os.File, error) { return os.Stdout, nil }
