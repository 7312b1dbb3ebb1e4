package check

// labels name each check in a few Italian words, for a check that has no
// result yet (the self-check's pending lines) and for lists of checks.
var labels = map[string]string{
	TokenModule:          "Driver del dispositivo di firma",
	TokenPresent:         "Dispositivo di firma inserito",
	TokenPIN:             "Stato del PIN",
	TokenPUK:             "Stato del PUK",
	TokenCertificate:     "Certificato di firma",
	TokenCNS:             "Certificato CNS",
	WorkstationObsolete:  "Programmi di firma obsoleti",
	WorkstationGoSign:    "GoSign Desktop",
	WorkstationDrivers:   "Driver Bit4id e SafeDive",
	WorkstationReboot:    "Riavvio in sospeso",
	WorkstationCertStore: "Certificati nel sistema",
	WorkstationBrowsers:  "Browser",
	WorkstationPCSC:      "Servizio smart card e lettori",
	WorkstationUSB:       "Dispositivi USB",
	WorkstationClock:     "Orologio del computer",
}

// Label names check name in a few Italian words; an unknown name is given
// as it is.
func Label(name string) string {
	if l, ok := labels[name]; ok {
		return l
	}
	return name
}
