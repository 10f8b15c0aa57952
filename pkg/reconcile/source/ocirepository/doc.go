// Package ocirepository reconciles OCIRepositories the way Flux's
// source-controller does: it resolves spec.ref (a tag, the highest tag in a
// semver range, or a digest) in a container registry, pulls one layer of
// that OCI artifact and stores it as the object's artifact.
//
// Reconcile (reconciler.go) reads as the list of steps. planPull (plan.go)
// checks the spec (unsupported.go, url.go), reads the Secrets into registry
// access (transport.go: credentials.go, serviceaccount.go, proxy.go) and
// resolves the ref to a manifest digest (reference.go), whose cosign
// signature verifySignature (verify.go, cosign.go) checks; when the stored
// artifact is not that revision, pullArtifact (pull.go) fetches the
// manifest, picks the layer (layer.go) and stores it extracted or as it is
// (artifact.go). status.go is the one place that sets conditions;
// controller.go feeds the Reconciler from an informer.
package ocirepository
