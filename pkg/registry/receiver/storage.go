package receiver

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names receivers and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.Receiver]{
	Plural:   "receivers",
	Singular: "receiver",
	// Flux gives this kind no short name.
	ShortNames: nil,
	New:        func() *v1alpha1.Receiver { return &v1alpha1.Receiver{} },
	NewList:    func() runtime.Object { return &v1alpha1.ReceiverList{} },
	Columns: []kindregistry.Column[*v1alpha1.Receiver]{
		{Name: "Type", Type: "string", Description: "Sender of the webhooks.",
			Value: func(o *v1alpha1.Receiver) any { return string(o.Spec.Type) }},
		{Name: "Webhook Path", Type: "string", Priority: 1, Description: "Path the sender posts to.",
			Value: func(o *v1alpha1.Receiver) any { return kindregistry.OrNone(o.Status.WebhookPath) }},
	},
}

// NewREST returns the storage of receivers and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}
