// Package kustomization serves Kustomization objects: kustomize builds applied to the cluster.
package kustomization

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where Kustomization keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.Kustomization, v1alpha1.KustomizationSpec, v1alpha1.KustomizationStatus]{
	Spec:           func(o *v1alpha1.Kustomization) *v1alpha1.KustomizationSpec { return &o.Spec },
	Status:         func(o *v1alpha1.Kustomization) *v1alpha1.KustomizationStatus { return &o.Status },
	Validate:       validation.ValidateKustomization,
	ValidateUpdate: validation.ValidateKustomizationUpdate,
}
