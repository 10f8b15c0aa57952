package kindregistry

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"
	genericregistry "k8s.io/apiserver/pkg/registry/generic/registry"
	"k8s.io/apiserver/pkg/registry/rest"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// REST serves a kind's main resource.
type REST struct {
	*genericregistry.Store
	shortNames []string
}

var (
	_ rest.ShortNamesProvider   = &REST{}
	_ rest.CategoriesProvider   = &REST{}
	_ rest.SingularNameProvider = &REST{}
)

// ShortNames are the aliases kubectl accepts for the resource.
func (r *REST) ShortNames() []string { return r.shortNames }

// Categories puts every gitops.io resource in the "gitops" category.
func (r *REST) Categories() []string { return Categories }

// StatusREST serves a kind's status subresource. It shares the storage of
// the main resource and differs only in its update strategy.
type StatusREST struct {
	store *genericregistry.Store
}

var (
	_ rest.Patcher             = &StatusREST{}
	_ rest.ResetFieldsStrategy = &StatusREST{}
	_ rest.TableConvertor      = &StatusREST{}
)

// New returns an empty object of the kind.
func (r *StatusREST) New() runtime.Object { return r.store.New() }

// Destroy does nothing: the main resource's REST owns the shared storage.
func (r *StatusREST) Destroy() {}

// Get returns the object, for clients that read before writing the status.
func (r *StatusREST) Get(ctx context.Context, name string, options *metav1.GetOptions) (runtime.Object, error) {
	return r.store.Get(ctx, name, options)
}

// Update writes the status. It never creates the object.
func (r *StatusREST) Update(ctx context.Context, name string, objInfo rest.UpdatedObjectInfo,
	createValidation rest.ValidateObjectFunc, updateValidation rest.ValidateObjectUpdateFunc,
	_ bool, options *metav1.UpdateOptions) (runtime.Object, bool, error) {
	return r.store.Update(ctx, name, objInfo, createValidation, updateValidation, false, options)
}

// GetResetFields returns the fields status writes do not own.
func (r *StatusREST) GetResetFields() map[fieldpath.APIVersion]*fieldpath.Set {
	return r.store.GetResetFields()
}

// ConvertToTable prints the object like the main resource does.
func (r *StatusREST) ConvertToTable(ctx context.Context, object runtime.Object, tableOptions runtime.Object) (*metav1.Table, error) {
	return r.store.ConvertToTable(ctx, object, tableOptions)
}

// NewREST builds the REST storage of one kind: the main resource and its
// status subresource, backed by whatever storage optsGetter provides.
func NewREST[T Object, Spec, Status any](scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter,
	resource Resource[T], definition Definition[T, Spec, Status]) (*REST, *StatusREST, error) {
	strategy := NewStrategy(scheme, definition)
	store := &genericregistry.Store{
		NewFunc:                   func() runtime.Object { return resource.New() },
		NewListFunc:               resource.NewList,
		PredicateFunc:             Match,
		DefaultQualifiedResource:  v1alpha1.Resource(resource.Plural),
		SingularQualifiedResource: v1alpha1.Resource(resource.Singular),

		CreateStrategy:      strategy,
		UpdateStrategy:      strategy,
		DeleteStrategy:      strategy,
		ResetFieldsStrategy: strategy,

		TableConvertor: NewTableConvertor(resource),
	}
	if err := store.CompleteWithOptions(&generic.StoreOptions{RESTOptions: optsGetter, AttrFunc: GetAttrs}); err != nil {
		return nil, nil, err
	}

	statusStrategy := NewStatusStrategy(scheme, definition)
	statusStore := *store
	statusStore.UpdateStrategy = statusStrategy
	statusStore.ResetFieldsStrategy = statusStrategy

	return &REST{Store: store, shortNames: resource.ShortNames}, &StatusREST{store: &statusStore}, nil
}
