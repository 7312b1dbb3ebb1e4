package station

import (
	"context"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows: the current user's "MY" (Personal) store, opened read-only
// through crypt32 (golang.org/x/sys/windows: no cgo). Each certificate's
// DER is hashed; whether it is linked to a private key comes from its
// CERT_KEY_PROV_INFO_PROP_ID property, which x/sys does not wrap, so it
// is called through crypt32.dll directly.

var (
	crypt32                               = windows.NewLazySystemDLL("crypt32.dll")
	procCertGetCertificateContextProperty = crypt32.NewProc("CertGetCertificateContextProperty")
)

const certKeyProvInfoPropID = 2 // CERT_KEY_PROV_INFO_PROP_ID

// cryptKeyProvInfo is CRYPT_KEY_PROV_INFO's head.
type cryptKeyProvInfo struct {
	ContainerName *uint16
	ProvName      *uint16
	ProvType      uint32
	Flags         uint32
	ProvParam     uint32
	ProvParams    uintptr
	KeySpec       uint32
}

func readCertStores(ctx context.Context, o Options, c *CertStores) {
	c.Windows = readSystemStore(ctx, "MY")
}

func readSystemStore(ctx context.Context, name string) *WindowsStore {
	ws := &WindowsStore{Store: name, Certificates: []StoreCert{}}
	pname, _ := windows.UTF16PtrFromString(name)
	store, err := windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM, 0, 0,
		windows.CERT_SYSTEM_STORE_CURRENT_USER|windows.CERT_STORE_READONLY_FLAG|windows.CERT_STORE_OPEN_EXISTING_FLAG,
		uintptr(unsafe.Pointer(pname)))
	if err != nil {
		if err == windows.Errno(0x80070002) || err == windows.ERROR_FILE_NOT_FOUND { // no such store yet: empty
			return ws
		}
		ws.Error = "archivio personale dei certificati non apribile"
		return ws
	}
	defer windows.CertCloseStore(store, 0)
	var prev *windows.CertContext
	for {
		cc, err := windows.CertEnumCertificatesInStore(store, prev)
		if err != nil || cc == nil {
			break // CRYPT_E_NOT_FOUND: the end
		}
		prev = cc // the next call frees it
		if len(ws.Certificates) == maxStoreCerts || ctx.Err() != nil {
			ws.Truncated = len(ws.Certificates) == maxStoreCerts
			windows.CertFreeCertificateContext(cc)
			break
		}
		if cc.EncodedCert == nil || cc.Length == 0 || cc.Length > maxCertSize {
			continue
		}
		der := make([]byte, cc.Length)
		copy(der, unsafe.Slice(cc.EncodedCert, cc.Length))
		sc := storeCert(der)
		sc.HasKey, sc.Provider = keyProvider(cc)
		ws.Certificates = append(ws.Certificates, sc)
	}
	return ws
}

// keyProvider reads a certificate's key provider information.
func keyProvider(cc *windows.CertContext) (bool, string) {
	var size uint32
	r, _, _ := procCertGetCertificateContextProperty.Call(uintptr(unsafe.Pointer(cc)), certKeyProvInfoPropID, 0, uintptr(unsafe.Pointer(&size)))
	if r == 0 || size < uint32(unsafe.Sizeof(cryptKeyProvInfo{})) || size > 64<<10 {
		return false, ""
	}
	buf := make([]uint64, (size+7)/8) // aligned for the struct
	r, _, _ = procCertGetCertificateContextProperty.Call(uintptr(unsafe.Pointer(cc)), certKeyProvInfoPropID,
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)))
	if r == 0 {
		return false, ""
	}
	info := (*cryptKeyProvInfo)(unsafe.Pointer(&buf[0]))
	prov := ""
	if info.ProvName != nil {
		prov = clip(windows.UTF16PtrToString(info.ProvName))
	}
	return true, prov
}
