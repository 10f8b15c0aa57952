package helmrelease

import (
	"context"
	"errors"
	"fmt"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// defaultValuesKey is the key a valuesFrom entry reads without valuesKey.
const defaultValuesKey = "values.yaml"

// valuesRefs reads the ConfigMaps and Secrets of spec.valuesFrom, each
// object once, so that entries naming the same object see one version of it.
type valuesRefs struct {
	reader    secretref.Reader
	namespace string
	// read holds each object's data by kind and name; nil when it does not
	// exist.
	read map[string]map[string][]byte
}

// valuesEntry is what one valuesFrom entry gave.
type valuesEntry struct {
	// field is 'spec.valuesFrom[i]', which messages name.
	field string
	ref   v1alpha1.ValuesReference
	data  []byte
}

// source is how messages name the entry's object and key, never its data.
func (e valuesEntry) source(namespace string) string {
	return fmt.Sprintf("%s '%s/%s' key '%s'", e.ref.Kind, namespace, e.ref.Name, valuesKey(e.ref))
}

// isSecret reports whether the entry's data may be a secret, so that no
// message may quote it.
func (e valuesEntry) isSecret() bool { return e.ref.Kind == v1alpha1.ValuesKindSecret }

func valuesKey(ref v1alpha1.ValuesReference) string {
	if ref.ValuesKey == "" {
		return defaultValuesKey
	}
	return ref.ValuesKey
}

// entry reads the i-th valuesFrom entry. ok is false for an optional entry
// whose object or key is missing, which is skipped; a missing one that is
// not optional is an error, and so is any other failure to read.
func (v *valuesRefs) entry(ctx context.Context, i int, ref v1alpha1.ValuesReference) (e valuesEntry, ok bool, err error) {
	e = valuesEntry{field: fmt.Sprintf("spec.valuesFrom[%d]", i), ref: ref}
	data, err := v.object(ctx, e.field, ref)
	if err != nil {
		return e, false, err
	}
	if data == nil {
		if ref.Optional {
			return e, false, nil
		}
		return e, false, fmt.Errorf("%s: %s '%s/%s' %w", e.field, ref.Kind, v.namespace, ref.Name, secretref.ErrNotFound)
	}
	value, found := data[valuesKey(ref)]
	if !found {
		if ref.Optional {
			return e, false, nil
		}
		return e, false, fmt.Errorf("%s: %s '%s/%s' has no key '%s'", e.field, ref.Kind, v.namespace, ref.Name, valuesKey(ref))
	}
	e.data = value
	return e, true, nil
}

// object is the data of the object ref names, nil when it does not exist.
func (v *valuesRefs) object(ctx context.Context, field string, ref v1alpha1.ValuesReference) (map[string][]byte, error) {
	id := ref.Kind + "/" + ref.Name
	if data, done := v.read[id]; done {
		return data, nil
	}
	object := secretref.Ref{Namespace: v.namespace, Name: ref.Name, Field: field}
	var data map[string][]byte
	var err error
	switch ref.Kind {
	case v1alpha1.ValuesKindSecret:
		data, err = v.reader.Secret(ctx, object)
	case v1alpha1.ValuesKindConfigMap:
		var text map[string]string
		text, err = v.reader.ConfigMap(ctx, object)
		data = bytesOf(text)
	default:
		return nil, fmt.Errorf("%s: kind '%s' is neither %s nor %s", field, ref.Kind, v1alpha1.ValuesKindConfigMap, v1alpha1.ValuesKindSecret)
	}
	if errors.Is(err, secretref.ErrNotFound) {
		data, err = nil, nil
	} else if data == nil && err == nil {
		data = map[string][]byte{} // exists, holds nothing
	}
	if err != nil {
		return nil, err
	}
	if v.read == nil {
		v.read = map[string]map[string][]byte{}
	}
	v.read[id] = data
	return data, nil
}

func bytesOf(data map[string]string) map[string][]byte {
	if data == nil {
		return nil
	}
	out := make(map[string][]byte, len(data))
	for k, s := range data {
		out[k] = []byte(s)
	}
	return out
}
