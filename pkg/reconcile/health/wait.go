package health

import (
	"context"
	"time"

	"github.com/fluxcd/cli-utils/pkg/object"
	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// PollInterval is how often objects are polled while waiting for them.
const PollInterval = 2 * time.Second

// Wait waits, up to timeout, until kstatus reports Current for every
// object of set. A Failed object ends the wait early. The error names each
// object that is not ready and its status.
func Wait(ctx context.Context, manager *ssa.ResourceManager, set object.ObjMetadataSet, timeout time.Duration) error {
	if len(set) == 0 {
		return nil
	}
	return manager.WaitForSetWithContext(ctx, set, ssa.WaitOptions{
		Interval: PollInterval,
		Timeout:  timeout,
		FailFast: true,
	})
}

// Objects are the objects refs name; those without a namespace are in
// namespace.
func Objects(refs []v1alpha1.NamespacedObjectKindReference, namespace string) object.ObjMetadataSet {
	var set object.ObjMetadataSet
	for _, ref := range refs {
		gv, _ := schema.ParseGroupVersion(ref.APIVersion)
		ns := ref.Namespace
		if ns == "" {
			ns = namespace
		}
		set = append(set, object.ObjMetadata{
			GroupKind: schema.GroupKind{Group: gv.Group, Kind: ref.Kind},
			Namespace: ns,
			Name:      ref.Name,
		})
	}
	return set
}
