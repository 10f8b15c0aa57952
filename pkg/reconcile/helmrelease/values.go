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
// helm-controller documents it: the spec.valuesFrom entries without a
// targetPath merged in order, later over earlier; spec.values over those;
// then each entry with a targetPath set at its path in order, so that, like
// `helm --set` over `-f` files, it overrides everything else. ConfigMaps
// and Secrets are read through reader; an optional entry whose object or
// key is missing is skipped. Errors name the field, the object and the key,
// and never quote a Secret's data.
func Values(ctx context.Context, reader secretref.Reader, obj *v1alpha1.HelmRelease) (map[string]any, error) {
	refs := valuesRefs{reader: reader, namespace: obj.Namespace}
	values := map[string]any{}
	var atPaths []valuesEntry
	for i, ref := range obj.Spec.ValuesFrom {
		entry, ok, err := refs.entry(ctx, i, ref)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if ref.TargetPath != "" {
			atPaths = append(atPaths, entry)
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
	values = loader.MergeMaps(values, inline)
	for _, entry := range atPaths {
		if err := setAtPath(values, entry.ref.TargetPath, string(entry.data), entry.ref.Literal); err != nil {
			return nil, entry.failed(obj.Namespace, fmt.Sprintf("cannot be set at targetPath '%s'", entry.ref.TargetPath), err)
		}
	}
	return values, nil
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
