package station

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// winscard.dll, loaded at run time from System32 only (NewLazySystemDLL):
// pure Go system calls, no cgo, no import library.
var (
	winscard         = windows.NewLazySystemDLL("winscard.dll")
	procEstablish    = winscard.NewProc("SCardEstablishContext")
	procRelease      = winscard.NewProc("SCardReleaseContext")
	procListReaders  = winscard.NewProc("SCardListReadersW")
	procStatusChange = winscard.NewProc("SCardGetStatusChangeW")
)

// readerStateW is SCARD_READERSTATEW on 64-bit Windows: natural
// alignment, 36 bytes of ATR, 64 bytes in all.
type readerStateW struct {
	reader       *uint16
	userData     uintptr
	currentState uint32
	eventState   uint32
	atrLen       uint32
	atr          [36]byte
}

// ReadPCSC reads the smart-card service in this process (see the Unix
// version): SCardEstablishContext, SCardListReadersW and
// SCardGetStatusChangeW with SCARD_STATE_UNAWARE; never a connection to a
// card. Reader names are UTF-16 here.
func ReadPCSC(trace func(call string)) PCSC {
	if trace == nil {
		trace = func(string) {}
	}
	p := PCSC{Readers: []Reader{}, Library: "winscard.dll"}
	trace("LoadLibrary winscard.dll")
	if err := winscard.Load(); err != nil {
		p.Status, p.Call, p.Detail = PCSCNotInstalled, "LoadLibrary", winErr("LoadLibrary winscard.dll", err)
		return p
	}
	for _, proc := range []*windows.LazyProc{procEstablish, procRelease, procListReaders, procStatusChange} {
		if err := proc.Find(); err != nil {
			p.Status, p.Call, p.Detail = PCSCError, "GetProcAddress", "manca "+proc.Name
			return p
		}
	}
	var ctx uintptr
	trace("SCardEstablishContext")
	rv, _, _ := procEstablish.Call(2, 0, 0, uintptr(unsafe.Pointer(&ctx))) // SCARD_SCOPE_SYSTEM
	if uint32(rv) != codeSuccess {
		p.callFailed("SCardEstablishContext", uint32(rv))
		return p
	}
	defer func() {
		trace("SCardReleaseContext")
		procRelease.Call(ctx)
	}()
	p.Status = PCSCOK
	p.readReaders("SCardListReadersW", "SCardGetStatusChangeW",
		func() ([]string, uint32) { return listReadersW(ctx, trace) },
		func(names []string) ([]Reader, uint32) { return readerStatesW(ctx, names, trace) })
	return p
}

func listReadersW(ctx uintptr, trace func(string)) ([]string, uint32) {
	var n uint32
	trace("SCardListReadersW")
	rv, _, _ := procListReaders.Call(ctx, 0, 0, uintptr(unsafe.Pointer(&n)))
	if uint32(rv) != codeSuccess {
		return nil, uint32(rv)
	}
	if n == 0 || n > maxReaderList/2 {
		return nil, codeNoReaders
	}
	buf := make([]uint16, n)
	trace("SCardListReadersW")
	rv, _, _ = procListReaders.Call(ctx, 0, uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)))
	if uint32(rv) != codeSuccess {
		return nil, uint32(rv)
	}
	var names []string
	for _, s := range splitMulti(buf[:min(int(n), len(buf))]) {
		names = append(names, windows.UTF16ToString(s))
	}
	return names, codeSuccess
}

func readerStatesW(ctx uintptr, names []string, trace func(string)) ([]Reader, uint32) {
	if len(names) == 0 {
		return []Reader{}, codeSuccess
	}
	states := make([]readerStateW, len(names))
	for i, n := range names {
		p, err := windows.UTF16PtrFromString(n)
		if err != nil {
			return nil, codeUnknownReader
		}
		states[i].reader = p
	}
	trace("SCardGetStatusChangeW")
	rv, _, _ := procStatusChange.Call(ctx, 0, uintptr(unsafe.Pointer(&states[0])), uintptr(len(states)))
	if uint32(rv) != codeSuccess {
		return nil, uint32(rv)
	}
	out := make([]Reader, 0, len(names))
	for i, n := range names {
		l := min(int(states[i].atrLen), len(states[i].atr))
		out = append(out, newReader(n, states[i].eventState, states[i].atr[:l]))
	}
	return out, codeSuccess
}
