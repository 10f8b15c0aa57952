// Package receiver serves Receiver objects: webhooks that trigger reconciliations.
package receiver

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where Receiver keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.Receiver, v1alpha1.ReceiverSpec, v1alpha1.ReceiverStatus]{
	Spec:           func(o *v1alpha1.Receiver) *v1alpha1.ReceiverSpec { return &o.Spec },
	Status:         func(o *v1alpha1.Receiver) *v1alpha1.ReceiverStatus { return &o.Status },
	Validate:       validation.ValidateReceiver,
	ValidateUpdate: validation.ValidateReceiverUpdate,
}
