package cli

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/token"
)

const maxWarnDays = 3650

// probeFlags are the flags of every command that probes the token:
// diagnose, and the assistant for its check nodes.
type probeFlags struct {
	modules  []string
	warnDays int
	timeout  time.Duration
}

func (p *probeFlags) add(f *pflag.FlagSet) {
	f.StringArrayVar(&p.modules, "module", nil,
		"controlla il driver PKCS#11 in `PERCORSO`, ripetibile (anche "+token.EnvModule+"); senza, si cercano i driver noti")
	f.IntVar(&p.warnDays, "warn-days", diag.DefaultWarnDays, "avvisa quando un certificato scade entro `GIORNI` giorni")
	f.DurationVar(&p.timeout, "timeout", diag.DefaultTimeout, "ferma il controllo di un driver che non risponde dopo `DURATA` (ad esempio 15s, 1m)")
}

// check validates the values (exit 2 when wrong).
func (p *probeFlags) check() error {
	if p.warnDays < 1 || p.warnDays > maxWarnDays {
		return usageErrorf("--warn-days vuole un numero di giorni tra 1 e %d", maxWarnDays)
	}
	if p.timeout <= 0 {
		return usageErrorf("--timeout vuole una durata positiva, ad esempio 15s o 1m")
	}
	return nil
}

// options returns the diagnosis options these flags set, with the
// office's settings (the lowest GoSign Desktop version it accepts) from
// cfg, which may be nil.
func (p *probeFlags) options(cfg *config.Config) diag.Options {
	o := diag.Options{Modules: p.modules, WarnDays: p.warnDays, Timeout: p.timeout, Tool: "sportello " + version}
	if cfg != nil {
		o.MinGoSign = cfg.GoSign.VersioneMinima
	}
	return o
}
