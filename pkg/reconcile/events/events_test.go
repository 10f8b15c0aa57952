package events

import (
	"reflect"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestMetadataCarriesRevisionsAndEventAnnotations(t *testing.T) {
	obj := &v1alpha1.Kustomization{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app", Annotations: map[string]string{
		"event.toolkit.fluxcd.io/cluster":  "prod-eu",
		"event.toolkit.fluxcd.io/revision": "not-this", // the revision is the run's
		"other.io/ignored":                 "x",
	}}}
	artifact := &v1alpha1.Artifact{Revision: "latest@sha256:abc",
		Metadata: map[string]string{"org.opencontainers.image.revision": "main@sha1:123"}}
	got := Metadata(obj, Revision{Revision: "latest@sha256:abc", Artifact: artifact})
	want := map[string]string{
		"gitops.io/cluster":        "prod-eu",
		"gitops.io/revision":       "latest@sha256:abc",
		"gitops.io/originRevision": "main@sha1:123",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("metadata %v, want %v", got, want)
	}
	if got := Metadata(obj, Revision{}); got["gitops.io/revision"] != "not-this" || len(got) != 2 {
		t.Errorf("without a revision: metadata %v, want only the annotations", got)
	}
}
