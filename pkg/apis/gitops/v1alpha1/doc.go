// +k8s:openapi-gen=true
// +k8s:deepcopy-gen=package
// +k8s:defaulter-gen=TypeMeta
// +k8s:openapi-model-package=io.gitops.apiserver.pkg.apis.gitops.v1alpha1
// +groupName=gitops.io

// Package v1alpha1 is the gitops.io/v1alpha1 API: Flux's sources, appliers,
// notifications and image automation under one API group. Field names, JSON
// names and defaults follow Flux, so a Flux manifest moves over by changing
// its apiVersion (and the group in references).
package v1alpha1
