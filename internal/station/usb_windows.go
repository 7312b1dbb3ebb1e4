package station

import (
	"errors"
	"strings"

	"golang.org/x/sys/windows"
)

// scanUSB lists the present devices of the USB enumerator with SetupAPI
// (x/sys/windows: SetupDiGetClassDevsEx, SetupDiEnumDeviceInfo,
// SetupDiGetDeviceRegistryProperty, CM_Get_DevNode_Status), which needs
// no administrator rights and is what Device Manager shows; WMI would be
// slower. The hardware ID "USB\VID_25DD&PID_2351..." gives the IDs, the
// compatible IDs "USB\Class_0B" a smart-card interface, and the devnode
// status a problem code (28: no driver installed). A composite device
// appears once per interface (MI_xx): they are merged by vendor and
// product.
func scanUSB(Options) *USB {
	set, err := windows.SetupDiGetClassDevsEx(nil, "USB", 0, windows.DIGCF_PRESENT|windows.DIGCF_ALLCLASSES, 0, "")
	if err != nil {
		return &USB{Error: "bus USB non leggibile: " + winErr("SetupDiGetClassDevsEx", err)}
	}
	defer set.Close()
	u := &USB{}
	index := map[string]int{}
	for i := 0; i < 4096; i++ {
		info, err := set.EnumDeviceInfo(i)
		if errors.Is(err, windows.ERROR_NO_MORE_ITEMS) {
			break
		}
		if err != nil {
			continue
		}
		d := USBDevice{}
		for _, id := range registryStrings(set, info, windows.SPDRP_HARDWAREID) {
			if vid, pid, ok := usbIDs(id); ok {
				d.VendorID, d.ProductID = vid, pid
				break
			}
		}
		if d.VendorID == "" {
			continue
		}
		for _, id := range registryStrings(set, info, windows.SPDRP_COMPATIBLEIDS) {
			if strings.HasPrefix(strings.ToUpper(id), `USB\CLASS_0B`) {
				d.CCID = true
			}
		}
		if s := registryStrings(set, info, windows.SPDRP_DEVICEDESC); len(s) > 0 {
			d.Product = s[0]
		}
		if s := registryStrings(set, info, windows.SPDRP_MFG); len(s) > 0 {
			d.Manufacturer = s[0]
		}
		var status, problem uint32
		if windows.CM_Get_DevNode_Status(&status, &problem, info.DevInst, 0) == nil && status&windows.DN_HAS_PROBLEM != 0 {
			d.Problem = int(problem)
		}
		if !keepUSB(&d) {
			continue
		}
		key := d.VendorID + ":" + d.ProductID
		if j, ok := index[key]; ok {
			e := &u.Devices[j]
			e.CCID = e.CCID || d.CCID
			if e.Problem == 0 {
				e.Problem = d.Problem
			}
			continue
		}
		index[key] = len(u.Devices)
		u.Devices = append(u.Devices, d)
	}
	return u
}

// registryStrings reads a string or multi-string device property.
func registryStrings(set windows.DevInfo, info *windows.DevInfoData, p windows.SPDRP) []string {
	v, err := set.DeviceRegistryProperty(info, p)
	if err != nil {
		return nil
	}
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
	}
	return nil
}

// usbIDs reads the vendor and product IDs of a hardware ID such as
// USB\VID_25DD&PID_2351&REV_0100.
func usbIDs(id string) (vid, pid string, ok bool) {
	id = strings.ToUpper(id)
	i := strings.Index(id, "VID_")
	j := strings.Index(id, "PID_")
	if i < 0 || j < 0 || len(id) < i+8 || len(id) < j+8 {
		return "", "", false
	}
	vid, pid = strings.ToLower(id[i+4:i+8]), strings.ToLower(id[j+4:j+8])
	for _, c := range vid + pid {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "", "", false
		}
	}
	return vid, pid, true
}
