package token

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	cases := map[string]string{
		"RSSMRA80A01H501U": "*************01U",
		"5058a2a30f0e3e5d": "*************e5d",
		"12345":            "**345",
		"1234":             "****",
		"":                 "",
	}
	for in, want := range cases {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactor(t *testing.T) {
	mods := []Module{{Slots: []Slot{{Token: &Token{Serial: "5058a2a30f0e3e5d", Certificates: []Certificate{
		{Serial: "1A2B3C4D5E", CodiceFiscale: "RSSMRA80A01H501U", CardNumber: "7420000000012345"},
		{Serial: "7"},
	}}}}}}
	r := NewRedactor(mods)
	cases := map[string]string{
		"5058a2a30f0e3e5d": "*************e5d",
		"7":                "*", // a whole value is masked however short
		"CN=RSSMRA80A01H501U/7420000000012345.abc, C=IT":      "CN=*************01U/*************345.abc, C=IT",
		"seriale 1A2B3C4D5E del certificato":                  "seriale *******D5E del certificato",
		"serialNumber=TINIT-BNCGPP70B02F205Z, un altro CF":    "serialNumber=TINIT-*************05Z, un altro CF",
		"nessun dato personale: Firma Test, slot 252591709":   "nessun dato personale: Firma Test, slot 252591709",
		"Il certificato di firma di MARIO ROSSI scade tra 12": "Il certificato di firma di MARIO ROSSI scade tra 12",
	}
	for in, want := range cases {
		got := r.Text(in)
		if got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "RSSMRA80A01H501U") || strings.Contains(got, "7420000000012345") {
			t.Errorf("Text(%q) leaks: %q", in, got)
		}
	}
	// A short serial is masked where it is the whole value, not inside text.
	if got := r.Text("slot 7 di 17"); got != "slot 7 di 17" {
		t.Errorf("short value masked inside text: %q", got)
	}
}
