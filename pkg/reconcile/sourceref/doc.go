// Package sourceref is how a reconciler uses the source its spec names
// (a Kustomization's sourceRef, a HelmChart's, later a HelmRelease's
// chartRef): it resolves the reference against the kinds the field accepts
// (v1alpha1.RefField), reads the source's current artifact from the
// informers' caches, fetches it through the source's artifact subresource
// with its digest checked, and wakes the referrers when the source gets a
// new artifact.
//
// ref.go names a source and resolves references; sources.go reads sources
// and their artifacts; fetch.go downloads and unpacks an artifact; wake.go
// indexes referrers by their source and enqueues them on a change.
package sourceref
