package build

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/resource"

	"gitops.io/apiserver/pkg/reconcile/kustomize/decrypt"
)

// finish turns kustomize's resources into objects and runs the post-build
// steps on each in Flux's order: decrypt SOPS-encrypted objects, substitute
// variables (so decrypted values are substituted too), add common metadata.
func finish(ctx context.Context, in Input, resources []*resource.Resource) ([]*unstructured.Unstructured, error) {
	spec := &in.Kustomization.Spec
	var decryptor *decrypt.Decryptor
	if spec.Decryption != nil {
		var err error
		if decryptor, err = decrypt.New(ctx, in.Secrets, in.Kustomization.Namespace, spec.Decryption); err != nil {
			return nil, err
		}
	}
	var vars map[string]string
	if spec.PostBuild != nil {
		var err error
		if vars, err = variables(ctx, in); err != nil {
			return nil, err
		}
	}
	objects := make([]*unstructured.Unstructured, 0, len(resources))
	for i, res := range resources {
		// Through JSON, so that numbers are int64 or float64 as everywhere
		// else in unstructured objects (res.Map gives Go ints).
		data, err := res.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", res.CurId(), err)
		}
		obj := &unstructured.Unstructured{}
		if err := obj.UnmarshalJSON(data); err != nil {
			return nil, fmt.Errorf("%s: %w", res.CurId(), err)
		}
		if decrypt.IsEncrypted(obj) {
			if decryptor == nil {
				return nil, &objectError{i, fmt.Errorf("%s is SOPS-encrypted: set spec.decryption to decrypt it before it is applied", objectName(obj))}
			}
			if err := decryptor.Decrypt(obj); err != nil {
				return nil, &objectError{i, err}
			}
		}
		if shouldSubstitute(spec.PostBuild, vars) {
			if err := substitute(obj, vars); err != nil {
				return nil, &objectError{i, err}
			}
		}
		SetCommonMetadata(obj, spec.CommonMetadata)
		objects = append(objects, obj)
	}
	return objects, nil
}
