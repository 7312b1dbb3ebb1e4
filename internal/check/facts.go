package check

// Facts the token checks report in Result.Facts; a flow text quotes them
// as {{key}}. Every result about a device carries the same facts, that
// device's (token.module those of the only device, or just module.path
// when there are several), all sanitised for a terminal and never blank,
// states in Italian words:
//
//	module.path         the PKCS#11 library of the device (else the first one tried)
//	token.label         the device's label
//	token.serial        its serial number
//	token.manufacturer  its manufacturer
//	token.model         its model
//	pin.state           PIN: utilizzabile, tentativi errati, ultimo tentativo, bloccato, da cambiare, non inizializzato
//	puk.state           PUK: the same words, or "non comunicato"
//	cert.holder         signature certificate: holder's name, else "titolare non indicato"
//	cert.cf             holder's codice fiscale
//	cert.days_left      whole days to expiry (negative once expired)
//	cert.not_after      expiry date, dd/mm/yyyy
//	cert.status         valido, in scadenza, scaduto, non ancora valido
//	cns.holder          CNS certificate: holder's name
//	cns.days_left       whole days to expiry
//	cns.not_after       expiry date, dd/mm/yyyy
//	cns.status          valido, in scadenza, scaduto, non ancora valido
//
// A fact that was not found (no token, no certificate) is absent.
const (
	FactModulePath        = "module.path"
	FactTokenLabel        = "token.label"
	FactTokenSerial       = "token.serial"
	FactTokenManufacturer = "token.manufacturer"
	FactTokenModel        = "token.model"
	FactPINState          = "pin.state"
	FactPUKState          = "puk.state"
	FactCertHolder        = "cert.holder"
	FactCertCF            = "cert.cf"
	FactCertDaysLeft      = "cert.days_left"
	FactCertNotAfter      = "cert.not_after"
	FactCertStatus        = "cert.status"
	FactCNSHolder         = "cns.holder"
	FactCNSDaysLeft       = "cns.days_left"
	FactCNSNotAfter       = "cns.not_after"
	FactCNSStatus         = "cns.status"
)

// TokenFacts lists every fact key the token checks may report.
var TokenFacts = []string{
	FactModulePath, FactTokenLabel, FactTokenSerial, FactTokenManufacturer, FactTokenModel,
	FactPINState, FactPUKState,
	FactCertHolder, FactCertCF, FactCertDaysLeft, FactCertNotAfter, FactCertStatus,
	FactCNSHolder, FactCNSDaysLeft, FactCNSNotAfter, FactCNSStatus,
}
