package console

import (
	"bytes"
	"testing"
)

func TestASCII(t *testing.T) {
	in := "✓ Esito: pronto\n✗ PIN bloccato\n    → Sblocca il PIN con il PUK… «Firma» è già — fatto\n"
	want := "+ Esito: pronto\nx PIN bloccato\n    -> Sblocca il PIN con il PUK... «Firma» è già - fatto\n"
	if got := ASCII(in); got != want {
		t.Errorf("got %q", got)
	}
	var b bytes.Buffer
	n, err := asciiWriter{&b}.Write([]byte(in))
	if err != nil || n != len(in) || b.String() != want {
		t.Errorf("writer: %d %v %q", n, err, b.String())
	}
}

// A buffer is not a console: it keeps the symbols everywhere.
func TestWriterKeepsSymbolsOffConsole(t *testing.T) {
	var b bytes.Buffer
	if Writer(&b) != &b || !Unicode(&b) {
		t.Error("a buffer got the ASCII writer")
	}
}
