package identity

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/retry"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// OwnerRecordedReason is the Event of an object given the server's identity
// as its owner.
const OwnerRecordedReason = "OwnerRecorded"

// Adopt gives every object stored without an owner (before owners were
// recorded) the server's identity as owner, so that it keeps acting as it
// did, and says so in the log and an Event on the object. It writes through
// the server's loopback client, the only one whose status writes may
// record an owner. Until it has, such an object acts as the server all the
// same (Resolver.Owner).
func Adopt(ctx context.Context, client dynamic.Interface, server v1alpha1.Owner, events record.EventRecorder) error {
	owner, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&server)
	if err != nil {
		return err
	}
	logger := klog.FromContext(ctx)
	for _, kind := range v1alpha1.Kinds {
		resource := client.Resource(kind.GroupVersionResource())
		list, err := resource.List(ctx, metav1.ListOptions{})
		if err != nil {
			return fmt.Errorf("listing %s: %w", kind.Resource, err)
		}
		for i := range list.Items {
			obj := &list.Items[i]
			if _, found, _ := unstructured.NestedFieldNoCopy(obj.Object, "status", "owner"); found {
				continue
			}
			adopted, err := adopt(ctx, resource.Namespace(obj.GetNamespace()), obj, owner)
			if err != nil {
				return fmt.Errorf("recording the owner of %s %s/%s: %w", kind.Kind, obj.GetNamespace(), obj.GetName(), err)
			}
			if !adopted {
				continue
			}
			logger.Info("Recorded the server as owner of an object stored before owners were", "kind", kind.Kind,
				"namespace", obj.GetNamespace(), "name", obj.GetName(), "owner", server.Username)
			if events != nil {
				events.Eventf(obj, corev1.EventTypeNormal, OwnerRecordedReason,
					"The object was stored before owners were recorded: it acts as the server's identity %q. "+
						"Set spec.serviceAccountName (if the kind has it) to have it act as a ServiceAccount instead.", server.Username)
			}
		}
	}
	return nil
}

// adopt records owner on obj unless it has one by now, and says whether it did.
func adopt(ctx context.Context, objects dynamic.ResourceInterface, obj *unstructured.Unstructured, owner map[string]any) (bool, error) {
	adopted := false
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if _, found, _ := unstructured.NestedFieldNoCopy(obj.Object, "status", "owner"); found {
			return nil
		}
		if err := unstructured.SetNestedField(obj.Object, owner, "status", "owner"); err != nil {
			return err
		}
		_, err := objects.UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		if apierrors.IsConflict(err) {
			if current, getErr := objects.Get(ctx, obj.GetName(), metav1.GetOptions{}); getErr == nil {
				*obj = *current
			}
		}
		adopted = err == nil
		return err
	})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	return adopted, err
}
