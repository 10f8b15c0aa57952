// Package bucket reconciles Buckets the way Flux's source-controller does:
// it lists the objects of an S3 compatible bucket, and when that listing
// changed since the stored artifact, downloads them and stores them as a
// tar.gz artifact on the server's volume.
//
// Reconcile (reconciler.go) reads as the list of steps. planFetch (plan.go)
// checks the spec (unsupported.go, location.go), reads the Secrets
// (credentials.go, proxy.go), makes the client (client.go) and lists the
// bucket into an index of keys and ETags (index.go, ignore.go) whose digest
// is the revision. When the stored artifact is not that revision,
// buildArtifact (build.go) downloads the objects (download.go) and stores
// them (artifact.go). status.go is the one place that sets conditions;
// controller.go feeds the Reconciler from an informer.
package bucket
