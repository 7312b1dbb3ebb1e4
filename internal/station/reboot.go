package station

// Reboot is whether the system says a restart is pending.
// Placeholder of the shared skeleton: its owner fills it in.
type Reboot struct{}
