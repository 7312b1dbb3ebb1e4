// Command sportello is a terminal assistant for the help desks and end users
// of Italian digital identity services: signature devices, SPID, PEC and
// GoSign. All the work happens in internal/cli; main only sets the exit code.
package main

import (
	"os"

	"github.com/sportello/sportello/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
