package token

import (
	"strings"
	"testing"
)

func TestTokenFlagsDecoding(t *testing.T) {
	// SoftHSM2's flags for an initialised token.
	f := TokenFlags(0x42d)
	if f.Hex != "0x0000042d" || f.Value != 0x42d {
		t.Errorf("hex %q value %#x", f.Hex, f.Value)
	}
	var names []string
	for _, x := range f.Set {
		names = append(names, x.Name)
		if x.Meaning == "" {
			t.Errorf("%s has no meaning", x.Name)
		}
	}
	want := "CKF_RNG CKF_LOGIN_REQUIRED CKF_USER_PIN_INITIALIZED CKF_RESTORE_KEY_NOT_NEEDED CKF_TOKEN_INITIALIZED"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("decoded %q, want %q", got, want)
	}

	// Every state flag has its meaning; an unknown bit is named, not dropped.
	f = TokenFlags(FlagTokenInitialized | FlagUserPINLocked | FlagSOPINFinalTry | 0x80000000)
	byName := map[string]string{}
	for _, x := range f.Set {
		byName[x.Name] = x.Meaning
	}
	if !strings.Contains(byName["CKF_USER_PIN_LOCKED"], "PUK") || !strings.Contains(byName["CKF_SO_PIN_FINAL_TRY"], "ultimo tentativo") {
		t.Errorf("meanings %v", byName)
	}
	if byName["0x80000000"] == "" {
		t.Errorf("unknown bit not reported: %v", byName)
	}

	// On an uninitialised token the SO bits are flagged as meaningless.
	f = TokenFlags(0xc00025)
	for _, x := range f.Set {
		if strings.HasPrefix(x.Name, "CKF_SO_PIN") && !strings.Contains(x.Meaning, "non è inizializzato") {
			t.Errorf("%s on an uninitialised token: %q", x.Name, x.Meaning)
		}
	}

	s := SlotFlags(SlotTokenPresent | SlotRemovable)
	if len(s.Set) != 2 || s.Set[0].Name != "CKF_TOKEN_PRESENT" || s.Set[1].Name != "CKF_REMOVABLE_DEVICE" {
		t.Errorf("slot flags %+v", s)
	}
	if got := TokenFlags(0).Set; got == nil || len(got) != 0 {
		t.Errorf("no flags should decode to an empty, non-nil list: %#v", got)
	}
}

func TestPINState(t *testing.T) {
	const ok = FlagTokenInitialized | FlagUserPINInitialized
	cases := []struct {
		flags uint
		want  State
	}{
		{ok, StateOK},
		{ok | FlagUserPINCountLow, StateCountLow},
		{ok | FlagUserPINCountLow | FlagUserPINFinalTry, StateFinalTry},
		{ok | FlagUserPINFinalTry | FlagUserPINLocked, StateLocked},
		{ok | FlagUserPINToBeChanged, StateToBeChanged},
		{ok | FlagUserPINToBeChanged | FlagUserPINCountLow, StateToBeChanged},
		{ok | FlagSOPINLocked, StateOK},
		{FlagTokenInitialized, StateNotInitialized},
		{FlagUserPINInitialized | FlagUserPINLocked, StateNotInitialized},
	}
	for _, c := range cases {
		if got := PINState(c.flags); got != c.want {
			t.Errorf("PINState(%#x) = %q, want %q", c.flags, got, c.want)
		}
	}
}

func TestPUKState(t *testing.T) {
	cases := []struct {
		flags     uint
		reportsSO bool
		want      State
	}{
		{FlagTokenInitialized, true, StateOK},
		{FlagTokenInitialized, false, StateUnknown},
		{FlagTokenInitialized | FlagSOPINLocked, false, StateLocked},
		{FlagTokenInitialized | FlagSOPINFinalTry, true, StateFinalTry},
		{FlagTokenInitialized | FlagSOPINCountLow, false, StateCountLow},
		{FlagTokenInitialized | FlagSOPINToBeChanged, true, StateToBeChanged},
		{FlagTokenInitialized | FlagUserPINLocked, true, StateOK},
		// A free SoftHSM2 slot: SO_PIN_LOCKED|SO_PIN_TO_BE_CHANGED, not initialised.
		{0xc00025, true, StateNotInitialized},
		{FlagSOPINLocked, false, StateNotInitialized},
	}
	for _, c := range cases {
		if got := PUKState(c.flags, c.reportsSO); got != c.want {
			t.Errorf("PUKState(%#x, %v) = %q, want %q", c.flags, c.reportsSO, got, c.want)
		}
	}
	if !ReportsSOState(&Library{Manufacturer: "SoftHSM"}) || ReportsSOState(&Library{Manufacturer: "OpenSC Project"}) || ReportsSOState(nil) {
		t.Error("ReportsSOState")
	}
}

func TestCallError(t *testing.T) {
	e := NewCallError("C_GetTokenInfo", 0x30, "")
	if e.Name != "CKR_DEVICE_ERROR" || e.Message != "errore del dispositivo" {
		t.Errorf("%+v", e)
	}
	if got := e.String(); got != "errore del dispositivo (CKR_DEVICE_ERROR in C_GetTokenInfo)" {
		t.Errorf("String() = %q", got)
	}
	if e := NewCallError("C_Foo", 0x12345, ""); e.Name != "CKR_0x12345" || !strings.Contains(e.Message, "CKR_0x12345") {
		t.Errorf("unknown code: %+v", e)
	}
}
