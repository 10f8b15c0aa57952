package helmrepository

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apimeta "k8s.io/apimachinery/pkg/api/meta"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

func TestIndexBecomesArtifactWithItsDigestAsRevision(t *testing.T) {
	server := helmrepotest.New(t, "", "", false)
	server.Publish(t, "podinfo", "1.0.0", "replicas: 1\n")
	r := newTestReconciler(t)
	obj := helmRepository(server.URL)

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	a := obj.Status.Artifact
	data, _ := artifacttest.Read(t, r.Storage, a)
	sum := sha256.Sum256(data)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	if a.Revision != digest || a.Digest != digest {
		t.Errorf("revision %s digest %s; the stored index's digest is %s", a.Revision, a.Digest, digest)
	}
	index, err := LoadIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := index.Get("podinfo", "*"); err != nil || v.Version != "1.0.0" {
		t.Errorf("the stored index has podinfo %v (%v), want 1.0.0", v, err)
	}
	if a.URL != "/apis/gitops.io/v1alpha1/namespaces/ns/helmrepositories/charts/artifact" || obj.Status.URL != a.URL {
		t.Errorf("artifact URL %s, status.url %s", a.URL, obj.Status.URL)
	}
	summarize(obj, nil)
	if ready := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReadyCondition); ready == nil ||
		ready.Status != "True" || !strings.Contains(ready.Message, digest) {
		t.Errorf("Ready is %+v, want True naming the revision", ready)
	}
}

func TestUnchangedIndexIsNotStoredAgainAndANewChartIs(t *testing.T) {
	server := helmrepotest.New(t, "", "", false)
	server.Publish(t, "podinfo", "1.0.0", "")
	r := newTestReconciler(t)
	obj := helmRepository(server.URL + "/")
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	first := *obj.Status.Artifact
	path := filepath.Join(r.Storage.Root, first.Path)
	before, _ := os.Stat(path)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if obj.Status.Artifact.LastUpdateTime != first.LastUpdateTime || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("an unchanged index was stored again: %+v, was %+v", *obj.Status.Artifact, first)
	}

	server.Publish(t, "podinfo", "1.1.0", "")
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Artifact.Revision == first.Revision || !r.Storage.Exists(obj.Status.Artifact.Path) {
		t.Errorf("a new chart version left the artifact at %s", obj.Status.Artifact.Revision)
	}
}

func TestBasicAuthFromCredentials(t *testing.T) {
	server := helmrepotest.New(t, "user", "s3cret", false)
	server.Publish(t, "podinfo", "1.0.0", "")
	obj := helmRepository(server.URL)

	_, err := fetchIndex(t.Context(), accessWith(t, obj, credentials{username: "user", password: "wrong-pw"}))
	if reason, _ := Reason(err); reason != v1alpha1.AuthenticationFailedReason || !errors.Is(err, ErrUnauthorized) {
		t.Errorf("a wrong password gave %v (reason %q), want AuthenticationFailed", err, reason)
	}
	if strings.Contains(err.Error(), "wrong-pw") {
		t.Errorf("the error shows the password: %v", err)
	}
	if _, err := fetchIndex(t.Context(), accessWith(t, obj, credentials{username: "user", password: "s3cret"})); err != nil {
		t.Errorf("the right password: %v", err)
	}
}

func TestHTTPSNeedsTheRepositoryCA(t *testing.T) {
	server := helmrepotest.New(t, "", "", true)
	server.Publish(t, "podinfo", "1.0.0", "")
	obj := helmRepository(server.URL)

	_, err := fetchIndex(t.Context(), accessWith(t, obj, credentials{}))
	if reason, _ := Reason(err); reason != v1alpha1.IndexationFailedReason || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("an unknown CA gave %v (reason %q), want IndexationFailed naming the certificate", err, reason)
	}
	if _, err := fetchIndex(t.Context(), accessWith(t, obj, credentials{tls: trusting(t, server.CAPEM())})); err != nil {
		t.Errorf("with the CA: %v", err)
	}
}

func TestNotAnIndexIsIndexationFailed(t *testing.T) {
	server := helmrepotest.New(t, "", "", false)
	server.Serve(t, "index.yaml", []byte("<html>login page</html>"))
	r := newTestReconciler(t)
	obj := helmRepository(server.URL)
	err := r.reconcileSteps(t.Context(), obj)
	if reason, stalled := Reason(err); reason != v1alpha1.IndexationFailedReason || stalled {
		t.Errorf("a page that is no index gave %v (reason %q, stalled %v), want a retried IndexationFailed", err, reason, stalled)
	}
	if obj.Status.Artifact != nil {
		t.Error("a failed fetch made an artifact")
	}
}

func TestURLOfTheWrongSchemeStalls(t *testing.T) {
	r := newTestReconciler(t)
	obj := helmRepository("ftp://charts.example/")
	err := r.reconcileSteps(t.Context(), obj)
	if reason, stalled := Reason(err); reason != v1alpha1.URLInvalidReason || !stalled {
		t.Fatalf("got %v (reason %q, stalled %v), want a stalled URLInvalid", err, reason, stalled)
	}
	summarize(obj, err)
	if c := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.StalledCondition); c == nil || !strings.Contains(c.Message, "spec.url") {
		t.Errorf("Stalled is %+v, want it naming spec.url", c)
	}
}

func TestOCIRepositoryIsReadyWithoutArtifact(t *testing.T) {
	r := newTestReconciler(t)
	obj := helmRepository("oci://registry.example/charts")
	obj.Spec.Type = v1alpha1.HelmRepositoryTypeOCI
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	summarize(obj, nil)
	ready := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReadyCondition)
	if obj.Status.Artifact != nil || ready == nil || ready.Status != "True" {
		t.Errorf("artifact %+v, Ready %+v; want no artifact and Ready", obj.Status.Artifact, ready)
	}
}

func TestTimeoutEndsAHangingServer(t *testing.T) {
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(hanging.Close)
	r := newTestReconciler(t)
	obj := helmRepository(hanging.URL)
	obj.Spec.Timeout = &v1alpha1.Duration{Duration: 200 * time.Millisecond}
	start := time.Now()
	err := r.reconcileSteps(t.Context(), obj)
	if reason, _ := Reason(err); reason != v1alpha1.IndexationFailedReason || time.Since(start) > 30*time.Second {
		t.Errorf("a hanging server gave %v (reason %q) after %v", err, reason, time.Since(start))
	}
}

func TestUnparsableURLStallsWithoutShowingItsPassword(t *testing.T) {
	r := newTestReconciler(t)
	// The password has an unescaped '/', which cuts the host short.
	for _, raw := range []string{"https://user:s3cret@charts.example/%zz", "https://user:s3/cret@charts.example/"} {
		err := r.reconcileSteps(t.Context(), helmRepository(raw))
		if reason, stalled := Reason(err); reason != v1alpha1.URLInvalidReason || !stalled {
			t.Fatalf("%s: got %v (reason %q, stalled %v), want a stalled URLInvalid", raw, err, reason, stalled)
		}
		if !strings.Contains(err.Error(), "invalid spec.url") || strings.Contains(err.Error(), "s3") {
			t.Errorf("%s: the message %q does not name spec.url or shows the password", raw, err)
		}
	}
}
