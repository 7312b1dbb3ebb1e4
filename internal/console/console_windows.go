package console

import (
	"io"
	"os"

	"golang.org/x/sys/windows"
)

const cpUTF8 = 65001

// consoleHandle returns v's handle and console mode when v is a console.
func consoleHandle(v any) (windows.Handle, uint32, bool) {
	f, ok := v.(*os.File)
	if !ok || f == nil {
		return 0, 0, false
	}
	h := windows.Handle(f.Fd())
	var mode uint32
	if windows.GetConsoleMode(h, &mode) != nil {
		return 0, 0, false // a file or a pipe
	}
	return h, mode, true
}

func unicodeOK(w io.Writer) bool {
	if _, _, ok := consoleHandle(w); !ok {
		return true
	}
	cp, err := windows.GetConsoleOutputCP()
	return err == nil && cp == cpUTF8
}

// Save records the console modes of in and out (when they are consoles)
// and the output code page; the function it returns puts them back.
func Save(in io.Reader, out io.Writer) (restore func()) {
	type saved struct {
		h    windows.Handle
		mode uint32
	}
	var modes []saved
	for _, v := range []any{in, out} {
		if h, m, ok := consoleHandle(v); ok {
			modes = append(modes, saved{h, m})
		}
	}
	cp, cpErr := windows.GetConsoleOutputCP()
	return func() {
		for _, s := range modes {
			_ = windows.SetConsoleMode(s.h, s.mode)
		}
		if cpErr == nil && len(modes) > 0 {
			if now, err := windows.GetConsoleOutputCP(); err == nil && now != cp {
				_ = windows.SetConsoleOutputCP(cp)
			}
		}
	}
}
