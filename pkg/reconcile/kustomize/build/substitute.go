package build

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fluxcd/pkg/envsubst"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// substituteKey is the label or annotation that, set to "disabled", keeps
// an object out of variable substitution.
const substituteKey = "kustomize.toolkit.fluxcd.io/substitute"

// shouldSubstitute applies spec.postBuild.substituteStrategy: by default
// objects are only substituted when a variable is defined; Always also
// substitutes without any, so that ${var:=default} takes effect.
func shouldSubstitute(postBuild *v1alpha1.PostBuild, vars map[string]string) bool {
	if postBuild == nil {
		return false
	}
	return len(vars) > 0 || postBuild.SubstituteStrategy == v1alpha1.SubstituteStrategyAlways
}

// substitute replaces ${var} expressions (bash style, with :=, :- and the
// other operators of Flux's envsubst; $${var} is a literal ${var}) in the
// YAML text of obj and parses the result again, so that a substituted value
// takes the YAML type it reads as, as in Flux. Undefined variables become
// empty strings, as in Flux by default.
func substitute(obj *unstructured.Unstructured, vars map[string]string) error {
	if obj.GetLabels()[substituteKey] == "disabled" || obj.GetAnnotations()[substituteKey] == "disabled" {
		return nil
	}
	text, err := yaml.Marshal(obj.Object)
	if err != nil {
		return fmt.Errorf("%s: %w", objectName(obj), err)
	}
	out, err := envsubst.Eval(string(text), func(name string) (string, bool) {
		return vars[name], true
	})
	if err != nil {
		return fmt.Errorf("%s: variable substitution failed: %w", objectName(obj), err)
	}
	json, err := yaml.YAMLToJSON([]byte(out))
	if err != nil {
		return fmt.Errorf("%s: the YAML is not valid after substituting %s: %w",
			objectName(obj), strings.Join(referenced(string(text)), ", "), err)
	}
	if err := obj.UnmarshalJSON(json); err != nil {
		return fmt.Errorf("%s: the substituted object is not valid: %w", objectName(obj), err)
	}
	return nil
}

// variableUse finds ${name...} expressions, and $${ escapes to skip them.
var variableUse = regexp.MustCompile(`\$?\$\{([_[:alpha:]][_[:alpha:][:digit:]]*)`)

// referenced lists the variables text uses, to name them when the result
// of substituting them is not valid.
func referenced(text string) []string {
	var names []string
	for _, match := range variableUse.FindAllStringSubmatch(text, -1) {
		if !strings.HasPrefix(match[0], "$$") {
			names = append(names, match[1])
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// objectName names an object in messages as Kind/namespace/name.
func objectName(obj *unstructured.Unstructured) string {
	if obj.GetNamespace() == "" {
		return obj.GetKind() + "/" + obj.GetName()
	}
	return obj.GetKind() + "/" + obj.GetNamespace() + "/" + obj.GetName()
}
