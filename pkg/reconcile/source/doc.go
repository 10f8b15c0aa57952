// Package source holds what the source reconcilers (GitRepository,
// OCIRepository, HelmRepository, HelmChart, Bucket) share: Flux's source
// condition types (conditions.go); the failures of their steps, their first
// step and their schedule (step.go); their conditions summed up in Ready
// (summarize.go); the Events of a new artifact or a failure (events.go);
// removing the artifacts of deleted objects (cleanup.go); URLs with their
// credentials taken out of messages (redact.go); and the .sourceignore
// rules of artifacts (ignore.go).
package source
