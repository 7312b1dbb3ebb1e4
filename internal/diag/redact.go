package diag

import (
	"reflect"

	"github.com/sportello/sportello/internal/token"
)

// redact masks codici fiscali and serial numbers everywhere in r: the
// values themselves and wherever text quotes them (subjects, titles,
// facts). It walks every string of the report, so a field added later is
// covered too.
func redact(r *Report) {
	red := token.NewRedactor(r.Modules)
	walkStrings(reflect.ValueOf(r), red.Text)
	r.Redacted = true
}

// walkStrings replaces every settable string reachable from v with f(s),
// map values included.
func walkStrings(v reflect.Value, f func(string) string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), f)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.String {
			return
		}
		for _, k := range v.MapKeys() {
			v.SetMapIndex(k, reflect.ValueOf(f(v.MapIndex(k).String())).Convert(v.Type().Elem()))
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(f(v.String()))
		}
	}
}
