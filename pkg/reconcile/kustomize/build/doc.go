// Package build turns one directory of an extracted source artifact into the
// objects a Kustomization applies, the way Flux's kustomize-controller does.
//
// Build (build.go) reads as the list of steps: resolve spec.path inside the
// artifact (path.go); generate a kustomization.yaml when the directory has
// none (generate.go); write the Kustomization's overlays into it (overlay.go);
// refuse remote resources (remote.go); run kustomize on a file system that
// cannot leave the artifact (rootfs.go, kustomize.go); then, per object
// (objects.go), decrypt SOPS-encrypted objects (package decrypt), substitute
// variables (variables.go, substitute.go) and add spec.commonMetadata to the
// object's own metadata (metadata.go), in Flux's order. When one of those
// steps fails on an object, the error names the file it came from
// (origin.go).
//
// Build writes into the directory it is given (the generated or extended
// kustomization file), so the caller must hand it a freshly extracted
// artifact for every build; nothing outside that directory is touched.
//
// HelmReleases' post-renderers (package helmrelease) share its parts:
// Kustomize, KustomizePatch, KustomizeImage and SetCommonMetadata.
package build
