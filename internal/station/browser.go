package station

// Browsers is the browsers installed, and the PKCS#11 modules each Firefox profile loads.
// Placeholder of the shared skeleton: its owner fills it in.
type Browsers struct{}
