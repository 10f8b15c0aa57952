package apiserver

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/generic"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/alert"
	"gitops.io/apiserver/pkg/registry/bucket"
	"gitops.io/apiserver/pkg/registry/gitrepository"
	"gitops.io/apiserver/pkg/registry/helmchart"
	"gitops.io/apiserver/pkg/registry/helmrelease"
	"gitops.io/apiserver/pkg/registry/helmrepository"
	"gitops.io/apiserver/pkg/registry/imagepolicy"
	"gitops.io/apiserver/pkg/registry/imagerepository"
	"gitops.io/apiserver/pkg/registry/imageupdateautomation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
	"gitops.io/apiserver/pkg/registry/kustomization"
	"gitops.io/apiserver/pkg/registry/ocirepository"
	"gitops.io/apiserver/pkg/registry/provider"
	"gitops.io/apiserver/pkg/registry/receiver"
)

// kind is one served kind: its resource, its REST storage and the strategy
// that storage checks writes with.
type kind struct {
	kind, resource string
	registry
}

// registry is the apiserver's part of a kind: its REST storage and the
// strategy that storage checks writes with.
type registry struct {
	newREST  func(*runtime.Scheme, generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error)
	strategy rest.RESTCreateStrategy
}

// registries hold the registry of every kind of v1alpha1.Kinds.
var registries = map[string]registry{
	v1alpha1.GitRepositoryKind:         {gitrepository.NewREST, gitrepository.NewStrategy(Scheme)},
	v1alpha1.OCIRepositoryKind:         {ocirepository.NewREST, ocirepository.NewStrategy(Scheme)},
	v1alpha1.HelmRepositoryKind:        {helmrepository.NewREST, helmrepository.NewStrategy(Scheme)},
	v1alpha1.HelmChartKind:             {helmchart.NewREST, helmchart.NewStrategy(Scheme)},
	v1alpha1.BucketKind:                {bucket.NewREST, bucket.NewStrategy(Scheme)},
	v1alpha1.KustomizationKind:         {kustomization.NewREST, kustomization.NewStrategy(Scheme)},
	v1alpha1.HelmReleaseKind:           {helmrelease.NewREST, helmrelease.NewStrategy(Scheme)},
	v1alpha1.ProviderKind:              {provider.NewREST, provider.NewStrategy(Scheme)},
	v1alpha1.AlertKind:                 {alert.NewREST, alert.NewStrategy(Scheme)},
	v1alpha1.ReceiverKind:              {receiver.NewREST, receiver.NewStrategy(Scheme)},
	v1alpha1.ImageRepositoryKind:       {imagerepository.NewREST, imagerepository.NewStrategy(Scheme)},
	v1alpha1.ImagePolicyKind:           {imagepolicy.NewREST, imagepolicy.NewStrategy(Scheme)},
	v1alpha1.ImageUpdateAutomationKind: {imageupdateautomation.NewREST, imageupdateautomation.NewStrategy(Scheme)},
}

// kinds are the served kinds: those of v1alpha1.Kinds with a registry (a
// test checks that is all of them).
var kinds = servedKinds()

func servedKinds() []kind {
	var served []kind
	for _, k := range v1alpha1.Kinds {
		if r, ok := registries[k.Kind]; ok {
			served = append(served, kind{kind: k.Kind, resource: k.Resource, registry: r})
		}
	}
	return served
}

// pushedObjectValidator checks an object of k that arrived by git push as
// an API create of it would be checked: defaults first, then the strategy's
// validation. The error names the offending fields as kubectl shows them;
// the file's path, given with it, names the object.
func pushedObjectValidator(k kind) func(object []byte) error {
	expected := v1alpha1.SchemeGroupVersion.WithKind(k.kind)
	return func(object []byte) error {
		// expected fills in apiVersion or kind when the file leaves them out.
		obj, gvk, err := Codecs.UniversalDeserializer().Decode(object, &expected, nil)
		if err != nil {
			return fmt.Errorf("not a %s manifest: %w", k.kind, err)
		}
		if *gvk != expected {
			return fmt.Errorf("a %s in the folder of %s: only %s objects belong there", gvk.Kind, k.resource, expected)
		}
		Scheme.Default(obj)
		accessor, err := meta.Accessor(obj)
		if err != nil {
			return err
		}
		ctx := genericapirequest.WithNamespace(context.Background(), accessor.GetNamespace())
		if errs := k.strategy.Validate(ctx, obj); len(errs) > 0 {
			return errs.ToAggregate()
		}
		return nil
	}
}
