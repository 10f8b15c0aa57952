package build

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// variableName is what a postBuild variable must look like (Flux's rule).
var variableName = regexp.MustCompile(`^[_[:alpha:]][_[:alpha:][:digit:]]*$`)

// variables gathers the postBuild variables of the Kustomization: the keys
// of the substituteFrom ConfigMaps and Secrets in order, later ones
// overriding earlier ones, then spec.postBuild.substitute over all of them.
// Newlines are dropped from values, as Flux does, so that a value cannot
// break the YAML it is substituted into.
func variables(ctx context.Context, in Input) (map[string]string, error) {
	postBuild := in.Kustomization.Spec.PostBuild
	vars := map[string]string{}
	for i, ref := range postBuild.SubstituteFrom {
		data, err := referencedData(ctx, in, ref)
		if err != nil {
			return nil, fmt.Errorf("spec.postBuild.substituteFrom[%d]: %w", i, err)
		}
		for name, value := range data {
			if !variableName.MatchString(name) {
				return nil, fmt.Errorf("spec.postBuild.substituteFrom[%d]: %s/%s key %q is not a valid variable name, it must match %s",
					i, ref.Kind, ref.Name, name, variableName)
			}
			vars[name] = strings.ReplaceAll(value, "\n", "")
		}
	}
	for name, value := range postBuild.Substitute {
		if !variableName.MatchString(name) {
			return nil, fmt.Errorf("spec.postBuild.substitute: %q is not a valid variable name, it must match %s",
				name, variableName)
		}
		vars[name] = strings.ReplaceAll(value, "\n", "")
	}
	return vars, nil
}

// referencedData reads the data of one substituteFrom object from the
// Kustomization's namespace; a missing optional one is empty.
func referencedData(ctx context.Context, in Input, ref v1alpha1.SubstituteReference) (map[string]string, error) {
	refs := secretref.Reader{Secrets: in.Secrets, ConfigMaps: in.ConfigMaps}
	// The caller's message names the field, with the index.
	object := secretref.Ref{Namespace: in.Kustomization.Namespace, Name: ref.Name}
	var data map[string]string
	var err error
	switch ref.Kind {
	case "ConfigMap":
		data, err = refs.ConfigMap(ctx, object)
	case "Secret":
		var secret map[string][]byte
		if secret, err = refs.Secret(ctx, object); err == nil {
			data = map[string]string{}
			for k, v := range secret {
				data[k] = string(v)
			}
		}
	default:
		return nil, fmt.Errorf("kind %q is not supported, use ConfigMap or Secret", ref.Kind)
	}
	if errors.Is(err, secretref.ErrNotFound) && ref.Optional {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", ref.Kind, ref.Name, err)
	}
	return data, nil
}
