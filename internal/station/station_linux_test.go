package station

import (
	"strings"
	"testing"
)

// TestUSBSysfs reads a sysfs tree written by the test: a Bit4id token, a
// CCID reader of a maker not in the table, a mouse (left out), root hubs
// and interfaces (not devices).
func TestUSBSysfs(t *testing.T) {
	root := t.TempDir()
	d := "sys/bus/usb/devices/"
	fixture(t, root, map[string]string{
		d + "usb1/idVendor": "1d6b\n", d + "usb1/idProduct": "0002\n",
		d + "1-1/idVendor": "25DD\n", d + "1-1/idProduct": "2351\n", d + "1-1/product": "Digital DNA Key\n", d + "1-1/manufacturer": "Bit4id\n",
		d + "1-1:1.0/bInterfaceClass": "0b\n",
		d + "1-2/idVendor":            "1234\n", d + "1-2/idProduct": "abcd\n", d + "1-2/product": "Lettore \x1b[31m\u202eX\n",
		d + "1-2:1.0/bInterfaceClass": "03\n", d + "1-2:1.1/bInterfaceClass": "0B\n",
		d + "1-3/idVendor": "046d\n", d + "1-3/idProduct": "c077\n", d + "1-3/product": "USB Optical Mouse\n",
		d + "1-3:1.0/bInterfaceClass": "03\n",
		d + "2-1/idVendor":            "072f\n", d + "2-1/idProduct": "90cc\n", // an ACS reader without its strings
	})
	u := scanUSB(Options{Root: root})
	if u.Error != "" || len(u.Devices) != 3 {
		t.Fatalf("%+v", u)
	}
	want := []USBDevice{
		{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id", Product: "Digital DNA Key", Manufacturer: "Bit4id", CCID: true},
		{VendorID: "1234", ProductID: "abcd", Product: "Lettore \x1b[31m\u202eX", CCID: true},
		{VendorID: "072f", ProductID: "90cc", Vendor: "ACS"},
	}
	for i, w := range want {
		if u.Devices[i] != w {
			t.Errorf("device %d: %+v, want %+v", i, u.Devices[i], w)
		}
	}
	if n := u.Devices[0].Name(); n != "Bit4id Digital DNA Key (25dd:2351)" {
		t.Errorf("name %q", n)
	}
	if n := u.Devices[2].Name(); n != "ACS (072f:90cc)" {
		t.Errorf("name %q", n)
	}
	if !u.Devices[0].SignatureVendor() || u.Devices[2].SignatureVendor() {
		t.Error("signature vendors")
	}
	old := u.TokenDevices()
	if len(old) != 3 || old[0].Vendor != "Bit4id" || old[0].VendorID != "25dd" {
		t.Errorf("usb_devices: %+v", old)
	}
	if u := scanUSB(Options{Root: t.TempDir()}); u.Error == "" {
		t.Errorf("no sysfs: %+v", u)
	}
}

func TestRebootLinux(t *testing.T) {
	root := t.TempDir()
	if r := readReboot(Options{Root: root}); r.Pending != "no" || len(r.Markers) != 1 || r.Markers[0].Found {
		t.Errorf("no marker: %+v", r)
	}
	fixture(t, root, map[string]string{
		"run/reboot-required":      "*** System restart required ***\n",
		"run/reboot-required.pkgs": "linux-image-6.1.0-18-amd64\nlibc6\n\nlibc6\n" + strings.Repeat("x", 300) + "\n",
	})
	r := readReboot(Options{Root: root})
	if r.Pending != "yes" || !r.Markers[0].Found || len(r.Items) != 3 || r.Items[0] != "linux-image-6.1.0-18-amd64" || r.Items[1] != "libc6" || len(r.Items[2]) != maxRebootItem {
		t.Errorf("marker with packages: %+v", r)
	}
	var many strings.Builder
	for i := range 100 {
		many.WriteString(strings.Repeat("p", i+1) + "\n")
	}
	fixture(t, root, map[string]string{"run/reboot-required.pkgs": many.String()})
	if r := readReboot(Options{Root: root}); len(r.Items) != maxRebootItems {
		t.Errorf("%d items kept", len(r.Items))
	}
}

// TestClockLinux reads the real kernel clock state: whatever it is, it is
// one of the answers, with the state it was read from.
func TestClockLinux(t *testing.T) {
	c := readClock(Options{})
	switch c.Sync {
	case "synced", "unsynced":
		if c.Source != "adjtimex" || !strings.HasPrefix(c.Detail, "TIME_") {
			t.Errorf("%+v", c)
		}
		if c.Sync == "synced" && strings.Contains(c.Detail, "STA_UNSYNC") {
			t.Errorf("synced with STA_UNSYNC: %+v", c)
		}
	case "unknown":
		if c.Error == "" {
			t.Errorf("unknown without a reason: %+v", c)
		}
	default:
		t.Errorf("%+v", c)
	}
	t.Logf("clock: %+v", c)
}

func TestGatherLinux(t *testing.T) {
	f := Gather(t.Context(), Options{GOOS: "linux", Root: t.TempDir()})
	if f.GOOS != "linux" || f.USB == nil || f.Reboot == nil || f.Clock == nil || f.PCSC != nil {
		t.Errorf("%+v", f)
	}
}
