// Package referrers wakes the objects that reference a Secret or ConfigMap
// when it changes, so an object that failed because of a Secret's contents
// recovers as soon as the Secret is fixed, not at its next interval.
//
// The reverse index is an index of each kind's own informer, keyed by the
// Secrets and ConfigMaps its objects name (index.go). The Secrets and
// ConfigMaps are watched by metadata-only informers whose caches keep their
// namespace, name and resource version and nothing else (watch.go): no
// Secret data is held in the server's memory beyond what a reconcile reads.
// A namespace's Secrets (or its ConfigMaps) are watched only while some
// object references one of them.
package referrers
