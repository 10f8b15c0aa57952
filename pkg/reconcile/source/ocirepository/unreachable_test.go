package ocirepository

import (
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/test/loopback"
	"gitops.io/apiserver/test/ociregistry"
)

func TestUnreachableRegistryIsRetriedUntilItIsUp(t *testing.T) {
	addr := loopback.FreeAddr(t)
	r := newTestReconciler(t)
	obj := ociRepository("oci://"+addr+"/app", nil)
	if failure := assertFailure(t, r.reconcileSteps(t.Context(), obj), v1alpha1.OCIPullFailedReason, "connection refused"); failure.Stalled {
		t.Error("an unreachable registry stalls; it may come up later")
	}

	reg := ociregistry.Start(t, ociregistry.Options{Addr: addr})
	pushed := pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "a"})
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatalf("once the registry is up: %v", err)
	}
	if obj.Status.Artifact == nil || obj.Status.Artifact.Revision != "latest@"+pushed {
		t.Errorf("artifact %+v once the registry is up, want revision latest@%s", obj.Status.Artifact, pushed)
	}
}
