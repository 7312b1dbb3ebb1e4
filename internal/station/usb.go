package station

import (
	"context"
	"strings"

	"github.com/sportello/sportello/internal/token"
)

// USB is what is on the USB bus that concerns signing: devices of the
// makers of signature tokens and smart-card readers, and any device with
// a smart-card (CCID) interface whoever made it. A device here that no
// driver sees is a driver problem, not a port problem; nothing here means
// cable, port or device (FIRMA-12).
type USB struct {
	// Error says why the bus could not be read ("" when it was).
	Error   string      `json:"error,omitempty"`
	Devices []USBDevice `json:"devices"`
}

// USBDevice is one device on the bus.
type USBDevice struct {
	VendorID  string `json:"vendor_id"`  // 4 hex digits, lower case
	ProductID string `json:"product_id"` // 4 hex digits, lower case
	// Vendor is the maker's name from our table ("" for a CCID device of
	// another maker).
	Vendor       string `json:"vendor,omitempty"`
	Product      string `json:"product,omitempty"`      // the device's own product string
	Manufacturer string `json:"manufacturer,omitempty"` // the device's own manufacturer string
	// CCID: the device has a smart-card interface (USB class 0x0B): a
	// reader, or a token with its card inside.
	CCID bool `json:"ccid"`
	// Problem is Windows' device problem code (CM_Get_DevNode_Status), 0
	// when none: 28 is "driver not installed".
	Problem int `json:"problem,omitempty"`
}

// Name is how a device is called in a sentence: maker and product, with
// the IDs (sanitise before printing).
func (d USBDevice) Name() string {
	name := strings.TrimSpace(d.Vendor + " " + d.Product)
	if d.Vendor != "" && d.Product != "" && strings.HasPrefix(strings.ToLower(d.Product), strings.ToLower(d.Vendor)) {
		name = d.Product
	}
	if name == "" {
		name = strings.TrimSpace(d.Manufacturer)
	}
	if name == "" {
		name = "lettore di smart card"
	}
	return name + " (" + d.VendorID + ":" + d.ProductID + ")"
}

// TokenDevices is the list in the report's older usb_devices field.
func (u *USB) TokenDevices() []token.USBDevice {
	out := []token.USBDevice{}
	if u == nil {
		return out
	}
	for _, d := range u.Devices {
		out = append(out, token.USBDevice{VendorID: d.VendorID, ProductID: d.ProductID, Vendor: d.Vendor, Product: d.Product})
	}
	return out
}

// usbVendors are the USB vendor IDs of the makers of signature tokens
// and smart-card readers used in Italy. Source: the readers list of
// libccid 1.5.2 (Debian 12, /usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist),
// where each of these IDs names the maker's devices: Bit4id (miniLector,
// Digital DNA Key, tokenME), InfoCert (WirelessKey), Athena (ASE IIIe,
// IDProtect Key), Oberthur (ID-One Token), ACS (ACR38U, ACR39U), Gemalto
// (PC Twin Reader, USB Shell Token), HID Global OMNIKEY, SCM Microsystems
// (SCR 3310), Cherry (SmartBoard, SmartTerminal), Feitian (bR301, ePass),
// Alcor Micro (AU9540, in many laptops), Fujitsu (SmartCase).
var usbVendors = map[string]string{
	"25dd": "Bit4id",
	"2fd2": "InfoCert",
	"0dc3": "Athena",
	"1a74": "Oberthur",
	"072f": "ACS",
	"08e6": "Gemalto",
	"076b": "HID Global OMNIKEY",
	"04e6": "SCM Microsystems",
	"046a": "Cherry",
	"096e": "Feitian",
	"058f": "Alcor Micro",
	"0bf8": "Fujitsu",
}

// signatureVendors make signature devices (a token, or a card with its
// reader) rather than readers alone.
var signatureVendors = map[string]bool{"25dd": true, "2fd2": true, "0dc3": true, "1a74": true}

// SignatureVendor reports whether the device's maker makes signature
// devices (Bit4id, InfoCert, Athena, Oberthur).
func (d USBDevice) SignatureVendor() bool { return signatureVendors[d.VendorID] }

// keepUSB reports whether a device concerns signing, and names its maker.
func keepUSB(d *USBDevice) bool {
	d.VendorID, d.ProductID = strings.ToLower(d.VendorID), strings.ToLower(d.ProductID)
	d.Vendor = usbVendors[d.VendorID]
	return d.Vendor != "" || d.CCID
}

// ScanUSB reads the USB bus alone (nil where it cannot be read: macOS).
func ScanUSB(o Options) *USB {
	u := scanUSB(o)
	if u != nil && u.Devices == nil {
		u.Devices = []USBDevice{}
	}
	return u
}

func init() { gatherers = append(gatherers, gatherUSB) }

func gatherUSB(_ context.Context, o Options) func(*Facts) {
	u := ScanUSB(o)
	return func(f *Facts) { f.USB = u }
}
