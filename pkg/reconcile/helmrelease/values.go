package helmrelease

import (
	"context"
	"encoding/json"
	"fmt"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/loader"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// Values composes the values obj's release is installed with, as Flux's
// helm-controller does: the spec.valuesFrom entries in order, later over
// earlier (an entry with a targetPath set at its path, as `helm --set`
// does), then spec.values over all of them. ConfigMaps and Secrets are read
// through reader; an optional entry whose object or key is missing is
// skipped. Errors name the field, the object and the key, and never quote a
// Secret's data.
func Values(ctx context.Context, reader secretref.Reader, obj *v1alpha1.HelmRelease) (map[string]any, error) {
	refs := valuesRefs{reader: reader, namespace: obj.Namespace}
	values := map[string]any{}
	for i, ref := range obj.Spec.ValuesFrom {
		entry, ok, err := refs.entry(ctx, i, ref)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if ref.TargetPath != "" {
			if err := setAtPath(values, ref.TargetPath, string(entry.data), ref.Literal); err != nil {
				return nil, entry.failed(obj.Namespace, fmt.Sprintf("cannot be set at targetPath '%s'", ref.TargetPath), err)
			}
			continue
		}
		document, err := common.ReadValues(entry.data)
		if err != nil {
			return nil, entry.failed(obj.Namespace, "is not a YAML map of values", err)
		}
		values = loader.MergeMaps(values, document)
	}
	inline, err := inlineValues(obj)
	if err != nil {
		return nil, err
	}
	return loader.MergeMaps(values, inline), nil
}

// failed is an error about the entry's data. The parsers' messages may
// quote the data, so they are left out for Secrets.
func (e valuesEntry) failed(namespace, what string, cause error) error {
	if e.isSecret() {
		return fmt.Errorf("%s: %s %s", e.field, e.source(namespace), what)
	}
	return fmt.Errorf("%s: %s %s: %v", e.field, e.source(namespace), what, cause)
}

// inlineValues is spec.values, a JSON object.
func inlineValues(obj *v1alpha1.HelmRelease) (map[string]any, error) {
	values := map[string]any{}
	if obj.Spec.Values == nil || len(obj.Spec.Values.Raw) == 0 {
		return values, nil
	}
	if err := json.Unmarshal(obj.Spec.Values.Raw, &values); err != nil {
		return nil, fmt.Errorf("spec.values is not an object: %v", err)
	}
	return values, nil
}
