package check

import "slices"

// leads are the nodes each check's results may name (Result.Node): where a
// problem found by the check is solved. A checklist node (the self-check)
// sends the user there, so the flow validator requires these nodes in any
// set whose checklist shows the check. Keep them in step with the
// judgements: the walk tests and the saved reports' tests fail a result
// naming a node not listed here.
var leads = map[string][]string{
	TokenModule: {NodeInstall},
	TokenPresent: {NodeNotRecognised, NodeInstall, // and the triage of presence.go:
		NodePCSCService, NodeReaderEmpty, NodeUnknownCard, NodeUSBNoDriver, NodeConnect, NodeNotInitialised},
	TokenPIN:         {NodePINFinalTry, NodePINLocked, NodePUKLocked},
	TokenPUK:         {NodePUKLocked},
	TokenCertificate: {NodeNotRecognised, NodeInstall, NodeCertExpired, NodeCertExpiring},
	TokenCNS:         {NodeNotRecognised, NodeInstall, NodeCNS},

	WorkstationObsolete:  {NodeInstallStep1},
	WorkstationGoSign:    {NodeInstallStep2},
	WorkstationDrivers:   {NodeInstallStep4, NodeDriverError},
	WorkstationReboot:    {NodeReboot},
	WorkstationCertStore: {NodeInstallStep6, NodeInstallFirefox},
	WorkstationBrowsers:  {NodeInstallFirefox},
	WorkstationPCSC:      {NodePCSCService, NodeReaderEmpty},
	WorkstationUSB:       {NodeConnect, NodeUSBNoDriver},
	WorkstationClock:     nil, // its warnings name no node
}

// NodesOf returns the flow nodes ("flow:node") results of check name may
// name, nil for a check that names none or is unknown.
func NodesOf(name string) []string { return slices.Clone(leads[name]) }

// NodesOf makes a Names registry tell the flow validator where each
// check's problems lead (flow.Leads).
func (Names) NodesOf(name string) []string { return NodesOf(name) }

// Leads reports whether r names a node its check is known to lead to (or
// none).
func Leads(r Result) bool { return r.Node == "" || slices.Contains(leads[r.Check], r.Node) }
