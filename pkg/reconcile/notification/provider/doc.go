// Package provider sends one notification to the service a Provider names,
// the way Flux's notification-controller does for that type: the same
// method, path, headers and body, so that a receiver written for Flux reads
// it unchanged.
//
// Each type is one small file behind one interface, Sender (Post(ctx,
// event)); New is the factory, keyed by type (factory.go). config.go turns
// a Provider and its Secrets into the Options every type takes; client.go
// is the one HTTP client, which retries network errors and 5xx answers
// with backoff, within the caller's context (the Provider's timeout).
package provider
