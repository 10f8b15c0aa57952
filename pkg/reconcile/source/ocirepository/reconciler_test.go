package ocirepository

import (
	"maps"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/test/ociregistry"
)

func TestLatestTagBecomesArtifactWithRevisionDigestAndFiles(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	layer := ociregistry.FilesLayer(t, map[string]string{"deploy/app.yaml": "kind: ConfigMap\n", "logo.png": "binary"})
	digest := reg.Push(t, "manifests/app", "latest", ociregistry.Artifact(t,
		map[string]string{"org.opencontainers.image.source": "https://example.com/app"}, layer))
	r := newTestReconciler(t)
	obj := ociRepository(reg.URL("manifests/app"), nil)

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	a := obj.Status.Artifact
	if a == nil || a.Revision != "latest@"+digest.String() {
		t.Fatalf("artifact %+v, want revision latest@%s", a, digest)
	}
	// Images stay out by default, as in Flux.
	if files := storedFiles(t, r, obj); !maps.Equal(files, map[string]string{"deploy/app.yaml": "kind: ConfigMap\n"}) {
		t.Errorf("artifact holds %v, want deploy/app.yaml only", files)
	}
	if want := "/apis/gitops.io/v1alpha1/namespaces/ns/ocirepositories/app/artifact"; a.URL != want || obj.Status.URL != want {
		t.Errorf("artifact URL %q, status.url %q; want %s", a.URL, obj.Status.URL, want)
	}
	if a.Metadata["org.opencontainers.image.source"] != "https://example.com/app" {
		t.Errorf("artifact metadata %v lacks the manifest's annotations", a.Metadata)
	}
}

func TestUnchangedManifestIsNotDownloadedAgainButANewOneIs(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pushFiles(t, reg, "app", "stable", map[string]string{"app.yaml": "v1"})
	r := newTestReconciler(t)
	obj := ociRepository(reg.URL("app"), &v1alpha1.OCIRepositoryRef{Tag: "stable"})
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	first := *obj.Status.Artifact
	reads := reg.BlobReads()

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if got := reg.BlobReads(); got != reads {
		t.Errorf("an unchanged manifest was downloaded again: %d blob reads, was %d", got, reads)
	}
	if obj.Status.Artifact.LastUpdateTime != first.LastUpdateTime || obj.Status.Artifact.Digest != first.Digest {
		t.Errorf("artifact changed without a new manifest: %+v, was %+v", obj.Status.Artifact, first)
	}

	second := pushFiles(t, reg, "app", "stable", map[string]string{"app.yaml": "v2"})
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Artifact.Revision != "stable@"+second {
		t.Errorf("revision %s after a push, want stable@%s", obj.Status.Artifact.Revision, second)
	}
	if files := storedFiles(t, r, obj); files["app.yaml"] != "v2" {
		t.Errorf("artifact holds %v after a push, want app.yaml v2", files)
	}
}

func TestSemverPullsTheHighestMatchingTag(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	for _, tag := range []string{"1.0.0", "1.10.0-rc.1", "v1.2.0", "1.3.0-beta", "2.0.0", "latest"} {
		pushFiles(t, reg, "app", tag, map[string]string{"version": tag})
	}
	r := newTestReconciler(t)
	for _, tc := range []struct{ semver, filter, want string }{
		{">=1.0.0 <2.0.0", "", "v1.2.0"},
		{"*", "", "2.0.0"},
		{">=1.0.0-0 <2.0.0", "", "1.10.0-rc.1"},
		{">=1.0.0-0 <2.0.0", `.*-beta$`, "1.3.0-beta"},
	} {
		obj := ociRepository(reg.URL("app"), &v1alpha1.OCIRepositoryRef{SemVer: tc.semver, SemverFilter: tc.filter})
		if err := r.reconcileSteps(t.Context(), obj); err != nil {
			t.Fatalf("semver %q: %v", tc.semver, err)
		}
		if rev := obj.Status.Artifact.Revision; !strings.HasPrefix(rev, tc.want+"@sha256:") {
			t.Errorf("semver %q filter %q: revision %s, want tag %s", tc.semver, tc.filter, rev, tc.want)
		}
		if files := storedFiles(t, r, obj); files["version"] != tc.want {
			t.Errorf("semver %q: artifact holds %v, want version %s", tc.semver, files, tc.want)
		}
	}

	obj := ociRepository(reg.URL("app"), &v1alpha1.OCIRepositoryRef{SemVer: ">=3.0.0"})
	assertFailure(t, r.reconcileSteps(t.Context(), obj), v1alpha1.OCIPullFailedReason, "no tag")
}

func TestDigestPinsTheManifestWhateverTheTags(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pinned := pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "v1"})
	pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "v2"})
	r := newTestReconciler(t)
	// The tag is ignored: the digest wins.
	obj := ociRepository(reg.URL("app"), &v1alpha1.OCIRepositoryRef{Digest: pinned, Tag: "latest"})
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Artifact.Revision != pinned {
		t.Errorf("revision %s, want the digest %s", obj.Status.Artifact.Revision, pinned)
	}
	if files := storedFiles(t, r, obj); files["app.yaml"] != "v1" {
		t.Errorf("artifact holds %v, want the pinned v1", files)
	}

	missing := ociRepository(reg.URL("app"), &v1alpha1.OCIRepositoryRef{Digest: "sha256:" + strings.Repeat("0", 64)})
	assertFailure(t, r.reconcileSteps(t.Context(), missing), v1alpha1.OCIPullFailedReason, "MANIFEST_UNKNOWN")
}

func TestMissingTagFailsKeepingTheLastArtifactUntilPushed(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pushFiles(t, reg, "app", "v1", map[string]string{"app.yaml": "v1"})
	r := newTestReconciler(t)
	obj := ociRepository(reg.URL("app"), &v1alpha1.OCIRepositoryRef{Tag: "v1"})
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	good := obj.Status.Artifact.Revision

	obj.Spec.Reference.Tag = "v9"
	failure := assertFailure(t, r.reconcileSteps(t.Context(), obj), v1alpha1.OCIPullFailedReason, "v9")
	if failure.Stalled {
		t.Error("a missing tag stalls; it may be pushed later")
	}
	if obj.Status.Artifact == nil || obj.Status.Artifact.Revision != good {
		t.Errorf("the last good artifact was dropped: %+v", obj.Status.Artifact)
	}

	pushed := pushFiles(t, reg, "app", "v9", map[string]string{"app.yaml": "v9"})
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatalf("once v9 is pushed: %v", err)
	}
	if obj.Status.Artifact.Revision != "v9@"+pushed {
		t.Errorf("revision %s once v9 is pushed, want v9@%s", obj.Status.Artifact.Revision, pushed)
	}
}

func TestIgnoreLeavesFilesOutAndAChangeRebuilds(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "a", "README.md": "r", ".sourceignore": "*.txt\n", "notes.txt": "n"})
	r := newTestReconciler(t)
	obj := ociRepository(reg.URL("app"), nil)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if files := storedFiles(t, r, obj); !maps.Equal(files, map[string]string{"app.yaml": "a", "README.md": "r", ".sourceignore": "*.txt\n"}) {
		t.Errorf("artifact holds %v; the layer's .sourceignore leaves notes.txt out", files)
	}
	ignore := "*.md\n"
	obj.Spec.Ignore = &ignore
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if files := storedFiles(t, r, obj); !maps.Equal(files, map[string]string{"app.yaml": "a", ".sourceignore": "*.txt\n"}) {
		t.Errorf("artifact holds %v after spec.ignore *.md", files)
	}
	if obj.Status.ObservedIgnore == nil || *obj.Status.ObservedIgnore != ignore {
		t.Errorf("observedIgnore %v, want %q", obj.Status.ObservedIgnore, ignore)
	}
}
