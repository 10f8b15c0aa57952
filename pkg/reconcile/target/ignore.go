package target

import (
	"github.com/fluxcd/pkg/ssa"
	"github.com/fluxcd/pkg/ssa/jsondiff"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// IgnoreRules turns an object's ignore rules (a Kustomization's
// spec.ignore, a HelmRelease's spec.driftDetection.ignore) into the
// applier's: JSON pointers left out of drift detection and apply on the
// objects they target. They are compiled here, so that a bad selector is
// reported as the spec's fault rather than as a failed apply.
func IgnoreRules(rules []v1alpha1.IgnoreRule) ([]jsondiff.IgnoreRule, error) {
	var out []jsondiff.IgnoreRule
	for _, rule := range rules {
		r := jsondiff.IgnoreRule{Paths: rule.Paths}
		if t := rule.Target; t != nil {
			r.Selector = &jsondiff.Selector{
				Group: t.Group, Version: t.Version, Kind: t.Kind, Name: t.Name, Namespace: t.Namespace,
				AnnotationSelector: t.AnnotationSelector, LabelSelector: t.LabelSelector,
			}
		}
		out = append(out, r)
	}
	if _, err := jsondiff.CompileIgnoreRules(out); err != nil {
		return nil, err
	}
	return out, nil
}

// FieldManagers are the managed-field entries of the named field managers
// (--override-manager), both of their server-side applies and of their
// other writes (kubectl edit, patch, apply --server-side --force-conflicts):
// the applier takes their fields over, so what they changed is applied
// back and what they added is removed.
func FieldManagers(names []string) []ssa.FieldManager {
	var managers []ssa.FieldManager
	for _, name := range names {
		managers = append(managers,
			ssa.FieldManager{Name: name, OperationType: metav1.ManagedFieldsOperationApply},
			ssa.FieldManager{Name: name, OperationType: metav1.ManagedFieldsOperationUpdate})
	}
	return managers
}
