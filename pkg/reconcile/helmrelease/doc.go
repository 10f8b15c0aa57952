// Package helmrelease reconciles HelmReleases the way Flux's helm-controller
// does, with the Helm 4 SDK and releases in Helm's Secret storage, as a kind
// on the shared reconciler runtime of package controller.
//
// It is not wired into the server yet. What it holds so far is the part of
// Flux's semantics that needs no cluster: releasename.go (the release name,
// shortened as Flux does past Helm's 53 characters) and the values a release
// is installed with: values.go composes them, valuesref.go reads a valuesFrom
// entry through package secretref, targetpath.go sets a value at a
// targetPath with Helm's --set parser.
package helmrelease
