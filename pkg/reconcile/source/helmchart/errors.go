package helmchart

import (
	"errors"
	"fmt"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository"
)

// buildError is a failure to pull or package the chart.
func buildError(reason, format string, args ...any) *outcome.Failure {
	return &outcome.Failure{Condition: buildFailed, Reason: reason, Err: fmt.Errorf(format, args...)}
}

func pullFailed(format string, args ...any) *outcome.Failure {
	return buildError(v1alpha1.ChartPullFailedReason, format, args...)
}

func packageFailed(format string, args ...any) *outcome.Failure {
	return buildError(v1alpha1.ChartPackageFailedReason, format, args...)
}

// repositoryFailed reports an error of the helmrepository package (reading
// a repository's Secrets, a download) under its own reason, or else
// under fallback.
func repositoryFailed(err error, fallback *outcome.Failure) *outcome.Failure {
	reason, stalled := helmrepository.Reason(err)
	if errors.Is(err, helmrepository.ErrUnauthorized) {
		reason = v1alpha1.AuthenticationFailedReason
	}
	if reason == "" {
		return fallback
	}
	return &outcome.Failure{Condition: source.FetchFailedCondition, Reason: reason, Err: fallback.Err, Stalled: stalled}
}

// hideUserinfo keeps a password written into a HelmRepository's spec.url
// out of the messages of a pull from it: the URLs they quote (a download,
// a registry reference) are built from spec.url.
func hideUserinfo(err error, repositoryURL string) error {
	if err == nil {
		return nil
	}
	step := outcome.Of(err, v1alpha1.ChartPullFailedReason)
	message := source.RedactURLIn(step.Err.Error(), repositoryURL)
	if message == step.Err.Error() {
		return err
	}
	redacted := *step
	redacted.Err = errors.New(message)
	return &redacted
}
