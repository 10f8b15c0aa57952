package ocirepository

import (
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestPasswordInURLIsNotShown(t *testing.T) {
	r := newTestReconciler(t)
	for _, raw := range []string{
		"oci://user:s3cret@registry.example/app",
		"oci://user:s3cret@registry.example",
		"https://user:s3cret@registry.example/app",
	} {
		t.Run(raw, func(t *testing.T) {
			failure := assertFailure(t, r.reconcileSteps(t.Context(), ociRepository(raw, nil)), v1alpha1.URLInvalidReason, "registry.example")
			if strings.Contains(failure.Error(), "s3cret") {
				t.Errorf("the message shows the password: %s", failure.Error())
			}
		})
	}
}
