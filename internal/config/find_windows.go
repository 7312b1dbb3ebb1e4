//go:build windows

package config

import (
	"os"
	"path/filepath"
)

// systemConfigFile is the machine-wide configuration:
// %ProgramData%\sportello\config.yaml.
func systemConfigFile() string {
	dir := os.Getenv("ProgramData")
	if dir == "" {
		dir = `C:\ProgramData`
	}
	return filepath.Join(dir, "sportello", "config.yaml")
}
