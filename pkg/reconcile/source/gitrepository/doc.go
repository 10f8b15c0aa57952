// Package gitrepository reconciles GitRepositories the way Flux's
// source-controller does: it checks out the requested revision of the
// repository and stores it as a tar.gz artifact on the server's volume.
//
// Reconcile (reconciler.go) reads as the list of steps. planFetch (plan.go)
// checks the spec (unsupported.go, url.go), reads the Secrets
// (credentials.go, ssh.go, proxy.go), asks the remote for the revision
// (revision.go) and reads the includes (include.go); when the stored artifact
// is not that revision, buildArtifact (build.go) checks it out (checkout.go,
// submodules.go), verifies it (verify.go), copies the includes in and stores
// it (artifact.go, filtered by source.ExcludeFor). status.go is the one place
// that sets conditions; controller.go feeds the Reconciler from an informer.
package gitrepository
