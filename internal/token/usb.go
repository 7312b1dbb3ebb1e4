package token

// USBDevice is a device of a known signature-token or reader vendor seen
// on the USB bus (package station reads the bus). A device there with no
// PKCS#11 token means a driver problem; nothing there means cable, port
// or device (FIRMA-12).
type USBDevice struct {
	VendorID  string `json:"vendor_id"`
	ProductID string `json:"product_id"`
	Vendor    string `json:"vendor"`
	Product   string `json:"product,omitempty"` // the device's own product string
}
