package health

import (
	"context"
	"time"

	"github.com/fluxcd/cli-utils/pkg/object"
	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// PollInterval is how often objects are polled while waiting for them,
// after the first second or so (quickWindow), in which they are polled
// every quickInterval: most objects are ready within it (a Deployment once
// its controller has seen it), and a run that waits a whole PollInterval
// for each holds a worker for nothing.
const (
	PollInterval  = 2 * time.Second
	quickInterval = 500 * time.Millisecond
	quickWindow   = 1500 * time.Millisecond
)

// Wait waits, up to timeout, until kstatus reports Current for every
// object of set. A Failed object ends the wait early. The error names each
// object that is not ready and its status.
func Wait(ctx context.Context, manager *ssa.ResourceManager, set object.ObjMetadataSet, timeout time.Duration) error {
	if len(set) == 0 {
		return nil
	}
	quick := min(timeout, quickWindow)
	err := waitPolling(ctx, manager, set, quickInterval, quick)
	if err == nil || ctx.Err() != nil || quick == timeout {
		return err
	}
	// A Failed object fails the second wait at its first poll too, so the
	// first one's error need not be told from a timeout.
	return waitPolling(ctx, manager, set, PollInterval, timeout-quick)
}

func waitPolling(ctx context.Context, manager *ssa.ResourceManager, set object.ObjMetadataSet, interval, timeout time.Duration) error {
	return manager.WaitForSetWithContext(ctx, set, ssa.WaitOptions{
		Interval: interval,
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
