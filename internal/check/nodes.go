package check

// The flow nodes the token checks point to (Result.Node): each helps with
// what the check found. The flows define them; keep both in step.
const (
	NodeNotRecognised = "firma:non-riconosciuto"        // no token, device not read (FIRMA-12)
	NodeInstall       = "installazione:inizio"          // no module, drivers missing or broken
	NodePINLocked     = "firma:pin-bloccato"            // PIN locked: unblock with the PUK (FIRMA-10)
	NodePINFinalTry   = "firma:pin-ultimo-tentativo"    // one PIN attempt left
	NodePUKLocked     = "firma:puk-bloccato"            // PUK locked: a new device (FIRMA-10)
	NodeCertExpired   = "firma:certificato-scaduto"     // expired or missing certificate: new issue (FIRMA-11)
	NodeCertExpiring  = "firma:certificato-in-scadenza" // signature certificate close to expiry
	NodeCNS           = "firma:cns"                     // CNS (authentication) certificate problems
)

// TokenNodes lists every node the token checks may point to.
var TokenNodes = []string{
	NodeNotRecognised, NodeInstall, NodePINLocked, NodePINFinalTry,
	NodePUKLocked, NodeCertExpired, NodeCertExpiring, NodeCNS,
}
