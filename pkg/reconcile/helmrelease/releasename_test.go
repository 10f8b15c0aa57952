package helmrelease

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// The shortened names below were computed from the rule, outside Go:
// the first 40 characters, '-', and the first 12 hex digits of
// `printf %s <name> | sha256sum`.
func TestReleaseNameIsTargetNamespaceAndNameShortenedPast53Characters(t *testing.T) {
	for _, tc := range []struct {
		test, name, targetNamespace, releaseName, want string
	}{
		{test: "the object's name", name: "podinfo", want: "podinfo"},
		{test: "prefixed by the target namespace", name: "podinfo", targetNamespace: "apps", want: "apps-podinfo"},
		{test: "spec.releaseName wins", name: "podinfo", targetNamespace: "apps", releaseName: "frontend", want: "frontend"},
		{test: "53 characters stay", name: "prometheus-operator-stack", targetNamespace: "team-platform-observability",
			want: "team-platform-observability-prometheus-operator-stack"},
		{test: "54 characters are shortened", name: "prometheus-operator-stacks", targetNamespace: "team-platform-observability",
			want: "team-platform-observability-prometheus-o-b7e038de6448"},
		{test: "names alike in their first 40 characters stay apart", name: "prometheus-operator-stacks-canary", targetNamespace: "team-platform-observability",
			want: "team-platform-observability-prometheus-o-02ef93133da1"},
	} {
		obj := &v1alpha1.HelmRelease{
			ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: tc.name},
			Spec:       v1alpha1.HelmReleaseSpec{TargetNamespace: tc.targetNamespace, ReleaseName: tc.releaseName},
		}
		got := ReleaseName(obj)
		if got != tc.want {
			t.Errorf("%s: release name %q, want %q", tc.test, got, tc.want)
		}
		if len(got) > maxReleaseNameLength {
			t.Errorf("%s: release name %q is longer than Helm allows", tc.test, got)
		}
	}
}
