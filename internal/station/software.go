package station

// Software is installed programs that concern signing: obsolete signing tools, GoSign Desktop, the Bit4id xPKI and SafeDive drivers.
// Placeholder of the shared skeleton: its owner fills it in.
type Software struct{}
