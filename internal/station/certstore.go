package station

// CertStores is the certificate stores browsers use: the Windows user's MY store, the NSS databases.
// Placeholder of the shared skeleton: its owner fills it in.
type CertStores struct{}
