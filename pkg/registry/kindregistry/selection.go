package kindregistry

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/storage"
)

// GetAttrs returns what label and field selectors match: the labels, and
// metadata.name and metadata.namespace (the fields the scheme lets clients
// select on).
func GetAttrs(obj runtime.Object) (labels.Set, fields.Set, error) {
	object, err := meta.Accessor(obj)
	if err != nil {
		return nil, nil, fmt.Errorf("selecting on a %T: %w", obj, err)
	}
	return labels.Set(object.GetLabels()), fields.Set{
		"metadata.name":      object.GetName(),
		"metadata.namespace": object.GetNamespace(),
	}, nil
}

// Match returns the predicate that filters lists and watches by selectors.
func Match(label labels.Selector, field fields.Selector) storage.SelectionPredicate {
	return storage.SelectionPredicate{Label: label, Field: field, GetAttrs: GetAttrs}
}
