package ocirepository

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/test/ociregistry"
)

func newTestReconciler(t *testing.T) *Reconciler {
	return &Reconciler{Storage: &artifact.Storage{Root: t.TempDir(), Keep: 2}}
}

// ociRepository is an OCIRepository of url; the tests' registries are
// plain HTTP unless they say otherwise.
func ociRepository(url string, ref *v1alpha1.OCIRepositoryRef) *v1alpha1.OCIRepository {
	obj := &v1alpha1.OCIRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app", Generation: 1},
		Spec:       v1alpha1.OCIRepositorySpec{URL: url, Reference: ref, Insecure: true},
	}
	obj.Spec.Interval.Duration = time.Minute
	return obj
}

// pushFiles pushes an artifact of files to repository:tag of reg.
func pushFiles(t *testing.T, reg *ociregistry.Registry, repository, tag string, files map[string]string) string {
	t.Helper()
	return reg.Push(t, repository, tag, ociregistry.Artifact(t, nil, ociregistry.FilesLayer(t, files))).String()
}

// storedFiles returns the files of obj's artifact, checking that
// status.artifact.digest is the file's.
func storedFiles(t *testing.T, r *Reconciler, obj *v1alpha1.OCIRepository) map[string]string {
	t.Helper()
	data, digest := artifacttest.Read(t, r.Storage, obj.Status.Artifact)
	if obj.Status.Artifact.Digest != digest {
		t.Errorf("status.artifact.digest %s, the file's is %s", obj.Status.Artifact.Digest, digest)
	}
	return artifacttest.Files(t, data)
}

// assertFailure checks that err is a step failure with reason whose
// message holds text.
func assertFailure(t *testing.T, err error, reason, text string) *outcome.Failure {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s saying %q", reason, text)
	}
	failure := outcome.Of(err, v1alpha1.OCIPullFailedReason)
	if failure.Reason != reason || !strings.Contains(failure.Error(), text) {
		t.Fatalf("failure %s: %v; want %s saying %q", failure.Reason, err, reason, text)
	}
	return failure
}

// reconcileSteps runs the steps on obj without writing its status.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.OCIRepository) error {
	_, err := r.Kind().RunSteps(ctx, obj)
	return err
}
