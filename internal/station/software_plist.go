package station

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
)

// plistInfo is what an application bundle says of itself.
type plistInfo struct{ name, version string }

// bundlePlist reads the name and version of a macOS application bundle
// from Contents/Info.plist. Only XML property lists are read (a binary
// one, "bplist00", gives nothing: the caller keeps the folder's name and
// no version); at most 1 MiB of it.
func bundlePlist(bundle string) plistInfo {
	f, err := os.Open(filepath.Join(bundle, "Contents", "Info.plist"))
	if err != nil {
		return plistInfo{}
	}
	defer f.Close()
	return parsePlist(io.LimitReader(f, 1<<20))
}

// parsePlist takes CFBundleDisplayName (else CFBundleName) and
// CFBundleShortVersionString (else CFBundleVersion) from the top-level
// dict of an XML property list.
func parsePlist(r io.Reader) plistInfo {
	head := make([]byte, 8)
	n, _ := io.ReadFull(r, head)
	if bytes.Equal(head[:n], []byte("bplist00")) {
		return plistInfo{}
	}
	d := xml.NewDecoder(io.MultiReader(bytes.NewReader(head[:n]), r))
	d.Strict = false
	vals := map[string]string{}
	depth, key, inKey := 0, "", false
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 3 { // plist > dict > key, value
				break
			}
			if t.Name.Local == "key" {
				inKey, key = true, ""
				break
			}
			if t.Name.Local == "string" && key != "" {
				var s string
				if d.DecodeElement(&s, &t) == nil {
					vals[key] = clip(s)
				}
				depth--
			}
			key = ""
		case xml.EndElement:
			depth--
			inKey = false
		case xml.CharData:
			if inKey {
				key += string(t)
			}
		}
	}
	p := plistInfo{name: vals["CFBundleDisplayName"], version: vals["CFBundleShortVersionString"]}
	if p.name == "" {
		p.name = vals["CFBundleName"]
	}
	if p.version == "" {
		p.version = vals["CFBundleVersion"]
	}
	return p
}
