package yamlfast

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"gopkg.in/yaml.v3"
)

// yamlv3 decodes data the way the flow loader does and also insists on a
// single document, as the loader does.
func yamlv3(data []byte) (doc *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml.v3 panicked: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	doc = new(yaml.Node)
	if err := dec.Decode(doc); err != nil {
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("a second document, or an error after the first: %v", err)
	}
	return doc, nil
}

// diff walks both trees and describes the first difference, with its path,
// or returns "". Comments are not compared: Parse does not keep them, and
// the flow loader never reads them.
func diff(got, want *yaml.Node) string {
	return diffAt("doc", got, want)
}

func diffAt(path string, got, want *yaml.Node) string {
	switch {
	case got == nil && want == nil:
		return ""
	case got == nil || want == nil:
		return fmt.Sprintf("%s: got %v, want %v", path, got, want)
	}
	where := fmt.Sprintf("%s (want line %d col %d)", path, want.Line, want.Column)
	switch {
	case got.Kind != want.Kind:
		return fmt.Sprintf("%s: Kind %v, want %v", where, got.Kind, want.Kind)
	case got.Style != want.Style:
		return fmt.Sprintf("%s: Style %v, want %v", where, got.Style, want.Style)
	case got.Tag != want.Tag:
		return fmt.Sprintf("%s: Tag %q, want %q", where, got.Tag, want.Tag)
	case got.Value != want.Value:
		return fmt.Sprintf("%s: Value %q, want %q", where, got.Value, want.Value)
	case got.Anchor != want.Anchor:
		return fmt.Sprintf("%s: Anchor %q, want %q", where, got.Anchor, want.Anchor)
	case (got.Alias == nil) != (want.Alias == nil):
		return fmt.Sprintf("%s: Alias %v, want %v", where, got.Alias, want.Alias)
	case got.Line != want.Line || got.Column != want.Column:
		return fmt.Sprintf("%s: at line %d col %d, want line %d col %d", path, got.Line, got.Column, want.Line, want.Column)
	case got.HeadComment != "" || got.LineComment != "" || got.FootComment != "":
		return fmt.Sprintf("%s: comments %q %q %q, want none from Parse", where, got.HeadComment, got.LineComment, got.FootComment)
	case len(got.Content) != len(want.Content):
		return fmt.Sprintf("%s: %d children, want %d", where, len(got.Content), len(want.Content))
	case (got.Content == nil) != (want.Content == nil):
		return fmt.Sprintf("%s: Content nil %v, want nil %v", where, got.Content == nil, want.Content == nil)
	}
	for i := range got.Content {
		step := path + "[" + strconv.Itoa(i) + "]"
		if got.Kind == yaml.MappingNode {
			if i%2 == 0 {
				step = path + ".key(" + want.Content[i].Value + ")"
			} else {
				step = path + "." + want.Content[i-1].Value
			}
		}
		if d := diffAt(step, got.Content[i], want.Content[i]); d != "" {
			return d
		}
	}
	return ""
}
