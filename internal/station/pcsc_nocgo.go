//go:build unix && !cgo

package station

// ReadPCSC cannot load the PC/SC library without cgo on this system: the
// facts say so rather than guess (see README, "What is not built").
func ReadPCSC(trace func(call string)) PCSC {
	return PCSC{Status: PCSCUnsupported, Readers: []Reader{}, Detail: "lettura PC/SC non compilata (CGO_ENABLED=0)"}
}
