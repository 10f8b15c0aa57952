package apiserver

import (
	"encoding/json"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// fieldNamingSerializer makes request bodies that cannot be decoded because
// one value does not parse (an interval of "soon") fail with that field's
// path, as validation errors do. Without it the error says only
// `time: invalid duration "soon"`, and the user has to guess which of the
// object's durations is meant.
type fieldNamingSerializer struct {
	runtime.NegotiatedSerializer
}

// DecoderToVersion wraps the decoders the API handlers decode bodies with.
func (s fieldNamingSerializer) DecoderToVersion(decoder runtime.Decoder, gv runtime.GroupVersioner) runtime.Decoder {
	return fieldNamingDecoder{s.NegotiatedSerializer.DecoderToVersion(decoder, gv)}
}

type fieldNamingDecoder struct {
	runtime.Decoder
}

func (d fieldNamingDecoder) Decode(data []byte, defaults *schema.GroupVersionKind, into runtime.Object) (runtime.Object, *schema.GroupVersionKind, error) {
	obj, gvk, err := d.Decoder.Decode(data, defaults, into)
	// A strict decoding error comes with a usable object and already names
	// the unknown or duplicate fields: leave it as it is.
	if err == nil || obj != nil {
		return obj, gvk, err
	}
	if bad := unparsableField(data, defaults); bad != nil {
		err = &fieldDecodeError{field: bad, err: err}
	}
	return obj, gvk, err
}

// fieldDecodeError is a decoding error told as the field error it is about.
type fieldDecodeError struct {
	field *field.Error
	err   error
}

// Error names the field; the decoder's own message is its detail already.
func (e *fieldDecodeError) Error() string { return e.field.Error() }

func (e *fieldDecodeError) Unwrap() error { return e.err }

// unparsableField finds the first field of a JSON or YAML object whose value
// its Go type's own JSON decoding refuses (durations, times, quantities).
// It returns nil when it finds none, or cannot tell the object's type.
func unparsableField(data []byte, defaults *schema.GroupVersionKind) *field.Error {
	// YAMLToJSON passes JSON through unchanged.
	jsonData, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil
	}
	var object map[string]any
	if err := json.Unmarshal(jsonData, &object); err != nil {
		return nil
	}
	gvk := schema.GroupVersionKind{}
	if defaults != nil {
		gvk = *defaults
	}
	if apiVersion, ok := object["apiVersion"].(string); ok {
		if gv, err := schema.ParseGroupVersion(apiVersion); err == nil {
			gvk.Group, gvk.Version = gv.Group, gv.Version
		}
	}
	if kind, ok := object["kind"].(string); ok {
		gvk.Kind = kind
	}
	typed, err := Scheme.New(gvk)
	if err != nil {
		return nil
	}
	return findUnparsable(object, reflect.TypeOf(typed), nil)
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// findUnparsable walks value (decoded JSON) along the Go type t.
func findUnparsable(value any, t reflect.Type, path *field.Path) *field.Error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if value == nil {
		return nil
	}
	if path != nil && reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		encoded, err := json.Marshal(value)
		if err != nil {
			return nil
		}
		if err := json.Unmarshal(encoded, reflect.New(t).Interface()); err != nil {
			return field.Invalid(path, value, err.Error())
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		object, ok := value.(map[string]any)
		if !ok {
			return nil
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, inline := jsonName(f)
			if name == "-" {
				continue
			}
			if inline {
				if bad := findUnparsable(object, f.Type, path); bad != nil {
					return bad
				}
				continue
			}
			child, ok := object[name]
			if !ok {
				continue
			}
			if bad := findUnparsable(child, f.Type, childPath(path, name)); bad != nil {
				return bad
			}
		}
	case reflect.Slice, reflect.Array:
		items, ok := value.([]any)
		if !ok {
			return nil
		}
		for i, item := range items {
			if bad := findUnparsable(item, t.Elem(), path.Index(i)); bad != nil {
				return bad
			}
		}
	case reflect.Map:
		entries, ok := value.(map[string]any)
		if !ok {
			return nil
		}
		for key, entry := range entries {
			if bad := findUnparsable(entry, t.Elem(), path.Key(key)); bad != nil {
				return bad
			}
		}
	}
	return nil
}

func childPath(path *field.Path, name string) *field.Path {
	if path == nil {
		return field.NewPath(name)
	}
	return path.Child(name)
}

// jsonName is the field's JSON name, and whether its fields are inlined into
// the enclosing object (embedded without a name, or tagged ",inline").
func jsonName(f reflect.StructField) (name string, inline bool) {
	tag := f.Tag.Get("json")
	name, options, _ := strings.Cut(tag, ",")
	if strings.Contains(","+options+",", ",inline,") || (f.Anonymous && name == "") {
		return "", true
	}
	if name == "" {
		name = f.Name
	}
	return name, false
}
