package station

// Clock is whether the system clock is synchronised.
// Placeholder of the shared skeleton: its owner fills it in.
type Clock struct{}
