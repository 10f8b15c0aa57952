package helmrelease

import "gitops.io/apiserver/pkg/apis/gitops/v1alpha1"

const kind = v1alpha1.HelmReleaseKind

// ownerGroup prefixes the labels that mark a release's objects and the
// HelmCharts of spec.chart as a HelmRelease's, as Flux spells them.
const ownerGroup = "helm.toolkit.fluxcd.io"

// Origin labels: the HelmRelease an object was rendered for.
const (
	nameLabel      = ownerGroup + "/name"
	namespaceLabel = ownerGroup + "/namespace"
)

// finalizer keeps a HelmRelease until its release is uninstalled.
const finalizer = "finalizers.gitops.io"

// maxSnapshots is how many releases status.history keeps, as Flux.
const maxSnapshots = 5

// defaultMaxHistory is how many release revisions Helm keeps in storage
// when spec.maxHistory is unset, as Flux.
const defaultMaxHistory = 5
