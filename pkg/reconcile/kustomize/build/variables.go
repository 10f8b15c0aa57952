package build

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
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
	namespace := in.Kustomization.Namespace
	var data map[string]string
	var err error
	switch ref.Kind {
	case "ConfigMap":
		if in.ConfigMaps == nil {
			return nil, fmt.Errorf("ConfigMap/%s: no ConfigMap client to read it with", ref.Name)
		}
		cm, getErr := in.ConfigMaps.ConfigMaps(namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err = getErr; err == nil {
			data = cm.Data
		}
	case "Secret":
		if in.Secrets == nil {
			//lint:ignore ST1005 the message starts with the object's kind, as the others do
			return nil, fmt.Errorf("Secret/%s: no Secret client to read it with", ref.Name)
		}
		secret, getErr := in.Secrets.Secrets(namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err = getErr; err == nil {
			data = map[string]string{}
			for k, v := range secret.Data {
				data[k] = string(v)
			}
		}
	default:
		return nil, fmt.Errorf("kind %q is not supported, use ConfigMap or Secret", ref.Kind)
	}
	if apierrors.IsNotFound(err) && ref.Optional {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", ref.Kind, ref.Name, err)
	}
	return data, nil
}
