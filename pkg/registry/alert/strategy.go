// Package alert serves Alert objects: which events are sent to which Provider.
package alert

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where Alert keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.Alert, v1alpha1.AlertSpec, v1alpha1.AlertStatus]{
	Spec:         func(o *v1alpha1.Alert) *v1alpha1.AlertSpec { return &o.Spec },
	Status:       func(o *v1alpha1.Alert) *v1alpha1.AlertStatus { return &o.Status },
	ValidateSpec: validation.ValidateAlertSpec,
	Warnings:     validation.AlertWarnings,
}

// NewStrategy returns the create and update strategy of alerts, for
// checking objects that do not come through the REST API, such as files
// pushed to the storage repository.
func NewStrategy(typer runtime.ObjectTyper) rest.RESTCreateUpdateStrategy {
	return kindregistry.NewStrategy(typer, definition)
}
