package layout

import "gitops.io/apiserver/pkg/apis/gitops/v1alpha1"

// OperationalAnnotations are annotations that tools write to operate on an
// object, not to say what it should be: they live on the state ref, so
// setting them makes no commit on the branch, and reads serve them back as
// written (kubectl apply's three-way merge needs its last-applied
// configuration).
var OperationalAnnotations = []string{
	"kubectl.kubernetes.io/last-applied-configuration",
	v1alpha1.ReconcileRequestAnnotation,
	v1alpha1.GitOpsReconcileRequestAnnotation,
	v1alpha1.ForceRequestAnnotation,
	v1alpha1.ResetRequestAnnotation,
}

// takeOperational moves the operational annotations out of meta's
// annotations and returns them; nil when there are none.
func takeOperational(meta map[string]any) map[string]any {
	annotations, _ := meta["annotations"].(map[string]any)
	var taken map[string]any
	for _, k := range OperationalAnnotations {
		v, ok := annotations[k]
		if !ok {
			continue
		}
		if taken == nil {
			taken = map[string]any{}
		}
		taken[k] = v
		delete(annotations, k)
	}
	if taken != nil && len(annotations) == 0 {
		delete(meta, "annotations")
	}
	return taken
}

// putOperational adds the annotations of the state to meta's; one that the
// manifest also has (a person pushed it) keeps the manifest's value.
func putOperational(meta map[string]any, state any) {
	fromState, _ := state.(map[string]any)
	if len(fromState) == 0 {
		return
	}
	annotations, _ := meta["annotations"].(map[string]any)
	if annotations == nil {
		annotations = map[string]any{}
		meta["annotations"] = annotations
	}
	for k, v := range fromState {
		if _, person := annotations[k]; !person {
			annotations[k] = v
		}
	}
}
