package helmchart

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v4/pkg/registry"
	"oras.land/oras-go/v2/registry/remote/errcode"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository"
)

// pullFromRegistry pulls the chart <spec.url>/<spec.chart> from an OCI
// HelmRepository, at the highest tag matching spec.version, unless the
// stored artifact already is that version.
func (r *Reconciler) pullFromRegistry(ctx context.Context, obj *v1alpha1.HelmChart, repository *v1alpha1.HelmRepository) error {
	access, err := helmrepository.NewAccess(ctx, r.Secrets, repository)
	if err != nil {
		return repositoryFailed(err, pullFailed("%v", err))
	}
	tmp, err := tempDir()
	if err != nil {
		return pullFailed("%v", err)
	}
	defer removeAll(tmp)
	client, err := access.RegistryClient(tmp)
	if err != nil {
		return pullFailed("registry client for HelmRepository '%s': %v", repository.Name, err)
	}
	ref := strings.TrimPrefix(strings.TrimSuffix(repository.Spec.URL, "/"), "oci://") + "/" + obj.Spec.Chart
	version, err := matchingTag(client, ref, versionOf(obj))
	if err != nil {
		return registryFailed(err, "no tag of '%s' matching '%s': %v", ref, versionOf(obj), err)
	}
	obj.Status.ObservedSourceArtifactRevision = ""
	if upToDate(obj, obj.Spec.Chart, version) {
		return nil
	}
	pulled, err := client.Pull(ref + ":" + strings.ReplaceAll(version, "+", "_"))
	if err != nil {
		return registryFailed(err, "failed to pull '%s:%s': %v", ref, version, err)
	}
	chart, err := loadArchive(pulled.Chart.Data)
	if err != nil {
		return pullFailed("chart '%s:%s': %v", ref, version, err)
	}
	return r.storeChart(obj, chart, pulled.Chart.Data, chartFilesOf(chart))
}

// matchingTag is constraint itself when it is a version, or else the
// highest semver tag of ref that satisfies it.
func matchingTag(client *registry.Client, ref, constraint string) (string, error) {
	if v, err := semver.StrictNewVersion(constraint); err == nil {
		return v.Original(), nil
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return "", err
	}
	tags, err := client.Tags(ref) // sorted, highest first
	if err != nil {
		return "", err
	}
	for _, tag := range tags {
		if v, err := semver.NewVersion(tag); err == nil && c.Check(v) {
			return tag, nil
		}
	}
	return "", errors.New("no such tag")
}

// registryFailed is AuthenticationFailed when the registry refused the
// credentials, ChartPullFailed otherwise.
func registryFailed(err error, format string, args ...any) *outcome.Failure {
	failure := pullFailed(format, args...)
	var response *errcode.ErrorResponse
	if errors.As(err, &response) && (response.StatusCode == http.StatusUnauthorized || response.StatusCode == http.StatusForbidden) {
		failure.Condition, failure.Reason = source.FetchFailedCondition, v1alpha1.AuthenticationFailedReason
	}
	return failure
}
