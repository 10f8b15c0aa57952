package bucket

import (
	"maps"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsfake "gitops.io/apiserver/pkg/generated/clientset/versioned/fake"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// conditionsOf maps each condition type to its status/reason.
func conditionsOf(obj *v1alpha1.Bucket) map[string]string {
	got := map[string]string{}
	for _, c := range obj.Status.Conditions {
		got[c.Type] = string(c.Status) + "/" + c.Reason
	}
	return got
}

// reconcileStored runs Reconcile on the stored obj and returns the stored
// result, what Reconcile returned and the Events recorded.
func reconcileStored(t *testing.T, r *Reconciler, obj *v1alpha1.Bucket) (*v1alpha1.Bucket, time.Duration, []string, error) {
	t.Helper()
	events := record.NewFakeRecorder(10)
	r.Events = events
	stored, err := r.Buckets.Buckets(obj.Namespace).Get(t.Context(), obj.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	after, reconcileErr := r.Reconcile(t.Context(), stored)
	if stored, err = r.Buckets.Buckets(obj.Namespace).Get(t.Context(), obj.Name, metav1.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	var recorded []string
	for len(events.Events) > 0 {
		recorded = append(recorded, <-events.Events)
	}
	return stored, after, recorded, reconcileErr
}

func TestReconcileWritesStatusAndEventsThroughFailureAndRecovery(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey),
		credentialsSecret("wrong-auth", "wrong-key", "wrong-secret"))
	obj := newBucket(s3.Endpoint)
	r.Buckets = gitopsfake.NewClientset(obj).GitopsV1alpha1()

	stored, after, events, err := reconcileStored(t, r, obj)
	revision := expectedRevision(map[string]string{"a.yaml": "a"})
	if err != nil || after != time.Minute {
		t.Fatalf("Reconcile returned %v, %v; want the interval", after, err)
	}
	want := map[string]string{"Ready": "True/Succeeded", "ArtifactInStorage": "True/Succeeded"}
	if got := conditionsOf(stored); !maps.Equal(got, want) || stored.Status.Artifact.Revision != revision {
		t.Errorf("conditions %v revision %v; want %v at %s", got, stored.Status.Artifact, want, revision)
	}
	// The fake recorder appends an Event's metadata to its text.
	if len(events) != 1 || events[0] != "Normal NewArtifact stored artifact for revision '"+revision+"' map[gitops.io/revision:"+revision+"]" {
		t.Errorf("events %q; want one NewArtifact", events)
	}

	stored.Spec.SecretRef.Name = "wrong-auth"
	stored.Generation++
	if _, err := r.Buckets.Buckets("ns").Update(t.Context(), stored, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	stored, _, events, err = reconcileStored(t, r, obj)
	if err == nil {
		t.Fatal("Reconcile with refused credentials returned no error: nothing would retry")
	}
	want = map[string]string{
		"Ready":             "False/AuthenticationFailed",
		"FetchFailed":       "True/AuthenticationFailed",
		"Reconciling":       "True/ProgressingWithRetry",
		"ArtifactInStorage": "True/Succeeded",
	}
	if got := conditionsOf(stored); !maps.Equal(got, want) || stored.Status.Artifact.Revision != revision {
		t.Errorf("conditions %v artifact %v; want %v keeping the last artifact", got, stored.Status.Artifact, want)
	}
	if len(events) != 1 || !strings.HasPrefix(events[0], "Warning AuthenticationFailed") || strings.Contains(events[0], "wrong-secret") {
		t.Errorf("events %q; want one AuthenticationFailed warning without the secret", events)
	}

	stored.Spec.SecretRef.Name = "s3-auth"
	if _, err := r.Buckets.Buckets("ns").Update(t.Context(), stored, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	stored, _, events, err = reconcileStored(t, r, obj)
	want = map[string]string{"Ready": "True/Succeeded", "ArtifactInStorage": "True/Succeeded"}
	if got := conditionsOf(stored); err != nil || !maps.Equal(got, want) || stored.Status.ObservedGeneration != stored.Generation {
		t.Errorf("after the fix: %v, conditions %v, observedGeneration %d", err, got, stored.Status.ObservedGeneration)
	}
	if len(events) != 0 {
		t.Errorf("events %q for the same artifact", events)
	}
}

func TestStalledIsNotRetriedAndSuspendedIsLeftAlone(t *testing.T) {
	obj := newBucket("s3.example.com")
	obj.Spec.Provider = "gcp"
	r := newTestReconciler(t)
	clientset := gitopsfake.NewClientset(obj)
	r.Buckets = clientset.GitopsV1alpha1()
	stored, after, _, err := reconcileStored(t, r, obj)
	want := map[string]string{"Ready": "False/NotSupported", "FetchFailed": "True/NotSupported", "Stalled": "True/NotSupported"}
	if got := conditionsOf(stored); err != nil || after != 0 || !maps.Equal(got, want) {
		t.Errorf("Reconcile returned %v, %v with conditions %v; want no retry and %v", after, err, got, want)
	}

	stored.Spec.Suspend = true
	if _, err := r.Buckets.Buckets("ns").Update(t.Context(), stored, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	clientset.ClearActions()
	if _, after, events, err := reconcileStored(t, r, obj); err != nil || after != 0 || len(events) != 0 {
		t.Errorf("a suspended Bucket: %v, %v, events %q", after, err, events)
	}
	for _, action := range clientset.Actions() {
		if action.GetVerb() != "get" {
			t.Errorf("a suspended Bucket was written: %s %s", action.GetVerb(), action.GetSubresource())
		}
	}
}

func TestRetryIsNotMarkedAgainButARequestIs(t *testing.T) {
	obj := newBucket("s3.example.com")
	summarize(obj, source.FetchFailed(v1alpha1.BucketOperationFailedReason, "unreachable"))
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
