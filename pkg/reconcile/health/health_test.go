package health

import (
	"strings"
	"testing"

	"github.com/fluxcd/cli-utils/pkg/object"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestObjectsDefaultToTheReferrersNamespace(t *testing.T) {
	got := Objects([]v1alpha1.NamespacedObjectKindReference{
		{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
		{APIVersion: "v1", Kind: "Service", Name: "web", Namespace: "other"},
	}, "app")
	want := object.ObjMetadataSet{
		{GroupKind: schema.GroupKind{Group: "apps", Kind: "Deployment"}, Namespace: "app", Name: "web"},
		{GroupKind: schema.GroupKind{Kind: "Service"}, Namespace: "other", Name: "web"},
	}
	if !got.Equal(want) {
		t.Errorf("objects %v, want %v", got, want)
	}
}

func TestPollerRefusesAnExpressionThatDoesNotCompile(t *testing.T) {
	_, err := NewPoller(nil, nil, []v1alpha1.CustomHealthCheck{
		{APIVersion: "example.io/v1", Kind: "Widget", Current: "status.ready =="},
	})
	if err == nil || !strings.HasPrefix(err.Error(), "spec.healthCheckExprs: ") {
		t.Errorf("error %v, want one naming spec.healthCheckExprs", err)
	}
	if _, err := NewPoller(nil, nil, []v1alpha1.CustomHealthCheck{
		{APIVersion: "example.io/v1", Kind: "Widget", Current: "status.ready == true"},
	}); err != nil {
		t.Errorf("a valid expression: %v", err)
	}
}
