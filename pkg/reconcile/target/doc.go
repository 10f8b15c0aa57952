// Package target opens the cluster an object applies to: the server's own,
// or the one of its spec.kubeConfig Secret, as the ServiceAccount of its
// spec.serviceAccountName, with a server-side-apply manager whose health
// checks poll by kstatus (Kustomization), or its client config (HelmRelease).
package target
