// Package helmrepository reconciles HelmRepositories the way Flux's
// source-controller does. A repository of the default type serves an
// index.yaml over HTTP(S): it is downloaded and stored as the artifact, whose
// revision is the digest of the index. A repository of type oci has no
// index: it is checked (URL, credentials) and marked Ready, and HelmCharts
// pull their charts from the registry themselves.
//
// Reconcile (reconciler.go) reads as the list of steps: fetchIndex (index.go)
// downloads through an Access (access.go: credentials, TLS and the rule of
// which hosts see them, from secrets.go), storeIndex (artifact.go) keeps it.
// status.go is the one place that sets conditions; controller.go feeds the
// Reconciler from an informer. HelmCharts use Access, LoadIndex and, for
// type oci, Access.RegistryClient (registry.go) too; helmrepotest serves
// real Helm repositories to tests.
package helmrepository
