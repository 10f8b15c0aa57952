// Package dispatch takes every event the reconcilers record to the Alerts
// that select it and sends it through their Providers, in process: what
// Flux's notification-controller does behind its event HTTP endpoint.
//
// Recorder (recorder.go) is the reconcilers' event recorder: it records
// the Kubernetes Event and hands the event to the Dispatcher without ever
// blocking. The Dispatcher (dispatcher.go) drops duplicates (dedup.go),
// matches the event against the Alerts (match.go), merges their metadata
// into it, and queues it on the Provider's bounded queue (queue.go), whose
// one worker sends it (deliver.go) and records the outcome for the Alert's
// status (outcomes.go). The worker keeps its sender, with one HTTP client,
// until the Provider or its Secrets change. Only existing Providers have a
// queue; an Alert of a missing one fails at once. A full queue drops and
// counts; memory never grows with a flood, and the Alert is told once
// until it reads its outcomes.
package dispatch
