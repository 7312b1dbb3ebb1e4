package station

// PCSC is the smart-card service (PC/SC), its readers and the cards in them.
// Placeholder of the shared skeleton: its owner fills it in.
type PCSC struct{}
