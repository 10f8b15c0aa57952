package gitrepository

import (
	"maps"
	"testing"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// conditionsOf maps each condition type to its status/reason.
func conditionsOf(obj *v1alpha1.GitRepository) map[string]string {
	got := map[string]string{}
	for _, c := range obj.Status.Conditions {
		got[c.Type] = string(c.Status) + "/" + c.Reason
	}
	return got
}

func TestFailureKeepsLastArtifactAndRetries(t *testing.T) {
	obj := gitRepository("http://example.com/repo.git", nil)
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "main@sha1:1234"}
	summarize(obj, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "authentication required"))
	want := map[string]string{
		"Ready":             "False/AuthenticationFailed",
		"FetchFailed":       "True/AuthenticationFailed",
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

func TestSuccessClearsFailures(t *testing.T) {
	obj := gitRepository("http://example.com/repo.git", nil)
	summarize(obj, source.Stalled(v1alpha1.URLInvalidReason, "bad"))
	if got := conditionsOf(obj)["Stalled"]; got != "True/URLInvalid" {
		t.Fatalf("Stalled %q after an invalid URL", got)
	}
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "main@sha1:1234"}
	summarize(obj, nil)
	want := map[string]string{"Ready": "True/Succeeded", "ArtifactInStorage": "True/Succeeded"}
	if got := conditionsOf(obj); !maps.Equal(got, want) {
		t.Errorf("conditions %v, want %v", got, want)
	}
	ready := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReadyCondition)
	if ready.Message != "stored artifact for revision 'main@sha1:1234'" || ready.ObservedGeneration != obj.Generation {
		t.Errorf("Ready %+v", ready)
	}
	if obj.Status.ObservedGeneration != obj.Generation {
		t.Error("observedGeneration not updated on success")
	}
}

func TestReconcilingIsMarkedForNewGeneration(t *testing.T) {
	obj := gitRepository("http://example.com/repo.git", nil)
	if why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, false); why != "" {
		t.Errorf("a new object without status is marked first: %s", why)
	}
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "main@sha1:1234"}
	summarize(obj, nil)
	obj.Generation++
	why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, false)
	if why == "" {
		t.Fatal("a new generation is not new work")
	}
	conditions.MarkReconciling(&obj.Status.Conditions, obj.Generation, why)
	if got := conditionsOf(obj); got["Ready"] != string(metav1.ConditionUnknown)+"/Progressing" || got["Reconciling"] != "True/Progressing" {
		t.Errorf("conditions %v", got)
	}
	obj.Status.ObservedGeneration = obj.Generation
	if why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, false); why != "" {
		t.Errorf("an observed generation without request is new work: %s", why)
	}
}

func TestRetryIsNotMarkedAgain(t *testing.T) {
	obj := gitRepository("http://example.com/repo.git", nil)
	summarize(obj, source.FetchFailed(v1alpha1.GitOperationFailedReason, "unreachable"))
	if why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, false); why != "" {
		t.Errorf("a retry of a failed generation is new work: %s", why)
	}
	if why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, true); why == "" {
		t.Error("a reconcile request during retries is not new work")
	}
	obj.Generation++
	if why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, false); why == "" {
		t.Error("a new generation during retries is not new work")
	}
}

func TestFailedVerificationIsSourceVerifiedFalse(t *testing.T) {
	obj := gitRepository("http://example.com/repo.git", nil)
	obj.Spec.Verification = &v1alpha1.GitRepositoryVerification{SecretRef: v1alpha1.LocalObjectReference{Name: "keys"}}
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "main@sha1:1234"}
	summarize(obj, nil)
	if got := conditionsOf(obj)["SourceVerified"]; got != "True/Succeeded" {
		t.Errorf("SourceVerified %q after a verified revision", got)
	}
	summarize(obj, verificationFailed(v1alpha1.InvalidCommitSignatureReason, "signature of commit '5678': unknown key"))
	want := map[string]string{
		"Ready":             "False/InvalidCommitSignature",
		"SourceVerified":    "False/InvalidCommitSignature",
		"Reconciling":       "True/ProgressingWithRetry",
		"ArtifactInStorage": "True/Succeeded",
	}
	if got := conditionsOf(obj); !maps.Equal(got, want) {
		t.Errorf("conditions %v, want %v", got, want)
	}
	obj.Spec.Verification = nil
	summarize(obj, nil)
	if _, ok := conditionsOf(obj)["SourceVerified"]; ok {
		t.Error("SourceVerified stays after verification is turned off")
	}
}
