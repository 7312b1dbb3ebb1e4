package station

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// scanUSB reads sysfs: each device directory under /sys/bus/usb/devices
// has idVendor, idProduct, product and manufacturer; its interfaces
// ("1-2:1.0") have bInterfaceClass, 0b for a smart card.
func scanUSB(o Options) *USB {
	base := o.path("/sys/bus/usb/devices")
	entries, err := os.ReadDir(base)
	if err != nil {
		return &USB{Error: "bus USB non leggibile: " + why(base, err)}
	}
	read := func(dir, name string) string {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if len(b) > 256 {
			b = b[:256]
		}
		return strings.TrimSpace(string(b))
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	u := &USB{}
	for _, n := range names {
		if strings.Contains(n, ":") {
			continue // an interface
		}
		dir := filepath.Join(base, n)
		d := USBDevice{VendorID: read(dir, "idVendor"), ProductID: read(dir, "idProduct"),
			Product: read(dir, "product"), Manufacturer: read(dir, "manufacturer")}
		if d.VendorID == "" {
			continue
		}
		ifaces, _ := filepath.Glob(filepath.Join(base, n+":*"))
		for _, i := range ifaces {
			if strings.EqualFold(read(i, "bInterfaceClass"), "0b") {
				d.CCID = true
			}
		}
		if keepUSB(&d) {
			u.Devices = append(u.Devices, d)
		}
	}
	return u
}
