// Package notification is the outbound half of Flux's notification-controller
// inside gitops-apiserver: Providers (where notifications go) and Alerts
// (which events go there), reconciled on the shared runtime, and the
// dispatcher that takes every reconciler's events to them in process.
//
// provider.go and alert.go are the two kinds' steps; status.go is the one
// place that sets their conditions; references.go names the Secrets that
// wake a Provider; controller.go feeds both kinds from informers and wires
// the dispatcher (package dispatch) to them. Package provider holds the
// senders, one small file per Provider type behind one interface.
//
// Beyond Flux, both kinds have status: a Provider is Ready once its type is
// supported and its Secrets resolve, an Alert once its Provider is Ready,
// and an Alert's status lists its last delivery and last error per
// Provider.
package notification
