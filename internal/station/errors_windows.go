package station

import (
	"errors"
	"fmt"
	"syscall"
)

// errnoName is a Windows error code with its meaning in Italian when it
// is one a user meets here; Windows' own message is in the system's
// language (English under Wine), so it is not used.
func errnoName(e syscall.Errno) string {
	meaning := map[syscall.Errno]string{
		2: "file non trovato", 3: "percorso non trovato", 5: "accesso negato", 126: "modulo non trovato",
		1060: "servizio non installato", 1062: "servizio non avviato", 1722: "servizio non disponibile",
	}[e]
	if meaning != "" {
		return fmt.Sprintf("%d (%s)", int(e), meaning)
	}
	return fmt.Sprintf("%d", int(e))
}

// winErr describes err of call in Italian.
func winErr(call string, err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return call + ": errore " + errnoName(errno)
	}
	return call + ": errore"
}
