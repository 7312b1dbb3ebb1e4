package token

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// USBDevice is a device of a known signature-token or reader vendor seen
// on the USB bus. A device there with no PKCS#11 token means a driver
// problem; nothing there means cable, port or device (FIRMA-12).
type USBDevice struct {
	VendorID  string `json:"vendor_id"`
	ProductID string `json:"product_id"`
	Vendor    string `json:"vendor"`
	Product   string `json:"product,omitempty"` // the device's own product string
}

// usbVendors are the USB vendor IDs of signature tokens and smart-card
// readers used in Italy (from libccid's supported-readers list).
var usbVendors = map[string]string{
	"25dd": "Bit4id",
	"2fd2": "InfoCert",
	"0dc3": "Athena",
	"1a74": "Oberthur",
	"072f": "ACS",
}

// ScanUSB lists the known devices under root/sys/bus/usb/devices (Linux;
// elsewhere the directory does not exist and the list is empty).
func ScanUSB(root string) []USBDevice {
	dirs, _ := filepath.Glob(filepath.Join(root, "/sys/bus/usb/devices/*"))
	sort.Strings(dirs)
	out := []USBDevice{}
	read := func(dir, name string) string {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		return strings.TrimSpace(string(b))
	}
	for _, d := range dirs {
		vid := strings.ToLower(read(d, "idVendor"))
		vendor, ok := usbVendors[vid]
		if !ok {
			continue
		}
		out = append(out, USBDevice{VendorID: vid, ProductID: strings.ToLower(read(d, "idProduct")), Vendor: vendor, Product: read(d, "product")})
	}
	return out
}
