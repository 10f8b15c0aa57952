// Package health tells whether applied objects are ready, by kstatus, as
// Flux does: Deployments Available, Jobs complete, custom resources by
// their Ready condition or by CEL expressions the object gives
// (healthCheckExprs). Kustomization uses it, and so will HelmRelease.
package health
