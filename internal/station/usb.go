package station

// USB is devices of known token and reader vendors on the USB bus.
// Placeholder of the shared skeleton: its owner fills it in.
type USB struct{}
