//go:build !windows

package config

// systemConfigFile is the system-wide configuration: /etc/sportello.
func systemConfigFile() string { return "/etc/sportello/config.yaml" }
