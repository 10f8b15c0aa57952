package ocirepository

import (
	"errors"
	"maps"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// conditionsOf maps each condition type to its status/reason.
func conditionsOf(obj *v1alpha1.OCIRepository) map[string]string {
	got := map[string]string{}
	for _, c := range obj.Status.Conditions {
		got[c.Type] = string(c.Status) + "/" + c.Reason
	}
	return got
}

func TestFailureKeepsLastArtifactAndRetries(t *testing.T) {
	obj := ociRepository("oci://registry.example/app", nil)
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "latest@sha256:1234"}
	summarize(obj, source.FetchFailed(v1alpha1.OCIPullFailedReason, "manifest unknown"))
	want := map[string]string{
		"Ready":             "False/OCIArtifactPullFailed",
		"FetchFailed":       "True/OCIArtifactPullFailed",
		"Reconciling":       "True/ProgressingWithRetry",
		"ArtifactInStorage": "True/Succeeded",
	}
	if got := conditionsOf(obj); !maps.Equal(got, want) {
		t.Errorf("conditions %v, want %v", got, want)
	}
	if obj.Status.ObservedGeneration == obj.Generation {
		t.Error("a generation that will be retried is marked observed")
	}
}

func TestStalledThenSuccessClearsFailures(t *testing.T) {
	obj := ociRepository("oci://registry.example/app", nil)
	summarize(obj, source.Stalled(v1alpha1.NotSupportedReason, "spec.provider aws is not supported yet"))
	want := map[string]string{"Ready": "False/NotSupported", "FetchFailed": "True/NotSupported", "Stalled": "True/NotSupported"}
	if got := conditionsOf(obj); !maps.Equal(got, want) {
		t.Fatalf("conditions %v after a stall, want %v", got, want)
	}
	if obj.Status.ObservedGeneration != obj.Generation {
		t.Error("a stalled generation is not marked observed")
	}
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "latest@sha256:1234"}
	summarize(obj, nil)
	want = map[string]string{"Ready": "True/Succeeded", "ArtifactInStorage": "True/Succeeded"}
	if got := conditionsOf(obj); !maps.Equal(got, want) {
		t.Errorf("conditions %v after success, want %v", got, want)
	}
}

func TestStorageFailureReplacesFetchFailure(t *testing.T) {
	obj := ociRepository("oci://registry.example/app", nil)
	summarize(obj, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "UNAUTHORIZED"))
	summarize(obj, source.StorageFailed("ArchiveOperationFailed", errors.New("no space left on device")))
	got := conditionsOf(obj)
	if _, ok := got["FetchFailed"]; ok || got["StorageOperationFailed"] != "True/ArchiveOperationFailed" {
		t.Errorf("conditions %v; want StorageOperationFailed only", got)
	}
}
