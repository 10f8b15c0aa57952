package helmchart

import (
	"errors"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func TestPullMessagesDoNotShowTheRepositoryPassword(t *testing.T) {
	const url = "https://user:s3cr%2Ft@charts.example.com/stable"
	for _, err := range []error{
		pullFailed("failed to download chart 'app': GET https://user:s3cr%%2Ft@charts.example.com/stable/app-1.0.0.tgz: 404"),
		errors.New("pulling oci://user:s3cr%2Ft@charts.example.com/stable/app: denied"),
	} {
		got := hideUserinfo(err, url)
		if strings.Contains(got.Error(), "s3cr") || !strings.Contains(got.Error(), "***@charts.example.com") {
			t.Errorf("message %q, want the userinfo replaced by ***", got)
		}
		var step *outcome.Failure
		if !errors.As(got, &step) || step.Reason != v1alpha1.ChartPullFailedReason {
			t.Errorf("%v lost its reason", got)
		}
	}
	plain := pullFailed("no chart")
	if got := hideUserinfo(plain, "https://charts.example.com"); got != plain {
		t.Errorf("a URL without userinfo changed the error to %v", got)
	}
	if hideUserinfo(nil, url) != nil {
		t.Error("no error became one")
	}
}
