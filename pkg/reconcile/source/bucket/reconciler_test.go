package bucket

import (
	"maps"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestObjectsUnderPrefixBecomeArtifactWithIndexRevisionAndDigest(t *testing.T) {
	s3 := newS3(t, map[string]string{
		"apps/deploy.yaml":      "kind: Deployment",
		"apps/base/config.yaml": "kind: ConfigMap",
		"other/ignored.yaml":    "kind: Secret",
	})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(s3.Endpoint)
	obj.Spec.Prefix = "apps/"

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"apps/deploy.yaml": "kind: Deployment", "apps/base/config.yaml": "kind: ConfigMap"}
	a := obj.Status.Artifact
	if a == nil || a.Revision != expectedRevision(want) {
		t.Fatalf("artifact %+v, want revision %s", a, expectedRevision(want))
	}
	digest, files := storedFiles(t, r, obj)
	if a.Digest != digest {
		t.Errorf("status digest %s, the file's %s", a.Digest, digest)
	}
	if !maps.Equal(files, want) {
		t.Errorf("artifact holds %v, want %v", files, want)
	}
	if a.URL != "/apis/gitops.io/v1alpha1/namespaces/ns/buckets/app/artifact" || obj.Status.URL != a.URL {
		t.Errorf("artifact URL %q, status.url %q", a.URL, obj.Status.URL)
	}
}

func TestUnchangedIndexIsNotDownloadedAgain(t *testing.T) {
	s3 := newS3(t, map[string]string{"app.yaml": "v1"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(s3.Endpoint)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	first := *obj.Status.Artifact
	readsBefore := objectReads(s3.Requests())
	if readsBefore != 1 {
		t.Fatalf("the first run downloaded %d objects, want 1: %v", readsBefore, s3.Requests())
	}

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if reads := objectReads(s3.Requests()) - readsBefore; reads != 0 {
		t.Errorf("an unchanged bucket had %d objects downloaded again", reads)
	}
	if obj.Status.Artifact.Path != first.Path || obj.Status.Artifact.LastUpdateTime != first.LastUpdateTime {
		t.Errorf("an unchanged bucket got a new artifact: %+v", obj.Status.Artifact)
	}

	s3.Put(t, testBucket, "new.yaml", "kind: ConfigMap")
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"app.yaml": "v1", "new.yaml": "kind: ConfigMap"}
	if obj.Status.Artifact.Revision != expectedRevision(want) {
		t.Errorf("revision %s after a new object, want %s", obj.Status.Artifact.Revision, expectedRevision(want))
	}
	if _, files := storedFiles(t, r, obj); !maps.Equal(files, want) {
		t.Errorf("artifact holds %v, want %v", files, want)
	}
	if !r.Storage.Exists(first.Path) {
		t.Error("the previous artifact was collected although Keep is 2")
	}
}

func TestIgnoreFileOfTheBucketThenSpecIgnore(t *testing.T) {
	s3 := newS3(t, map[string]string{
		".sourceignore":      "*.md\n# comment\nsecrets/\n",
		"README.md":          "docs",
		"deploy/app.yaml":    "kind: Deployment",
		"deploy/NOTES.md":    "notes",
		"secrets/token.yaml": "kind: Secret",
		"deploy/big.tar.gz":  "not a manifest",
	})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(s3.Endpoint)
	// spec.ignore has the last word: it takes back one pattern of the file.
	ignore := "*.tar.gz\n!deploy/NOTES.md\n"
	obj.Spec.Ignore = &ignore

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"deploy/app.yaml": "kind: Deployment", "deploy/NOTES.md": "notes"}
	if _, files := storedFiles(t, r, obj); !maps.Equal(files, want) {
		t.Errorf("artifact holds %v, want %v", files, want)
	}
	if obj.Status.Artifact.Revision != expectedRevision(want) {
		t.Errorf("revision %s, want that of the kept objects only", obj.Status.Artifact.Revision)
	}
	if obj.Status.ObservedIgnore == nil || *obj.Status.ObservedIgnore != ignore {
		t.Errorf("observedIgnore %v, want spec.ignore", obj.Status.ObservedIgnore)
	}
}

func TestObjectDeletedFromTheBucketLeavesTheArtifact(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a", "b.yaml": "b"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(s3.Endpoint)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	s3.Delete(t, testBucket, "b.yaml")
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.yaml": "a"}
	if _, files := storedFiles(t, r, obj); !maps.Equal(files, want) || obj.Status.Artifact.Revision != expectedRevision(want) {
		t.Errorf("artifact holds %v at %s, want %v", files, obj.Status.Artifact.Revision, want)
	}
}

func TestEmptyPrefixOfNothingIsAnEmptyArtifact(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(s3.Endpoint)
	obj.Spec.Prefix = "nothing-here/"
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if _, files := storedFiles(t, r, obj); len(files) != 0 || obj.Status.Artifact.Revision != expectedRevision(nil) {
		t.Errorf("artifact holds %v at %s; want none at the empty index's revision", files, obj.Status.Artifact.Revision)
	}
}

func TestMissingArtifactFileIsBuiltAgain(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(s3.Endpoint)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if err := r.Storage.RemoveAll(v1alpha1.BucketKind, obj.Namespace, obj.Name); err != nil {
		t.Fatal(err)
	}
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if !r.Storage.Exists(obj.Status.Artifact.Path) {
		t.Error("the artifact file removed from the volume was not built again")
	}
}
