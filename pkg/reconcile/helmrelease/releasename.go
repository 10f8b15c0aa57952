package helmrelease

import (
	"crypto/sha256"
	"encoding/hex"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// maxReleaseNameLength is Helm's limit on a release name.
const maxReleaseNameLength = 53

// ReleaseName is the Helm release name of obj: spec.releaseName, or else
// '[spec.targetNamespace-]name', shortened as Flux's helm-controller does
// when it is longer than Helm allows, so a release Flux installed keeps its
// name here.
func ReleaseName(obj *v1alpha1.HelmRelease) string {
	name := obj.Spec.ReleaseName
	if name == "" {
		name = obj.Name
		if obj.Spec.TargetNamespace != "" {
			name = obj.Spec.TargetNamespace + "-" + obj.Name
		}
	}
	return shortenReleaseName(name)
}

// shortenReleaseName keeps a name of up to 53 characters; a longer one
// becomes its first 40 characters, a dash and the first 12 hex digits of its
// SHA-256, so that different long names stay different.
func shortenReleaseName(name string) string {
	if len(name) <= maxReleaseNameLength {
		return name
	}
	const hashLength = 12
	sum := sha256.Sum256([]byte(name))
	return name[:maxReleaseNameLength-hashLength-1] + "-" + hex.EncodeToString(sum[:])[:hashLength]
}
