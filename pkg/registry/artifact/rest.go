// Package artifact serves a source's artifact as a subresource of the
// source, e.g. gitrepositories/artifact. The generic API server checks
// `get <resource>/artifact` before Connect is called, so the artifact is as
// well guarded as the object itself, with no port of its own.
package artifact

import (
	"context"
	"net/http"
	"path"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// REST is the artifact subresource of one source resource.
type REST struct {
	// Resource is the source resource, e.g. gitrepositories, and Kind its kind.
	Resource schema.GroupResource
	Kind     string
	// Objects reads the source object (the resource's main storage).
	Objects rest.Getter
	// NewObject returns an empty source object, as the main storage's New.
	NewObject func() runtime.Object
	// Storage holds the artifact files.
	Storage *artifact.Storage
}

var _ rest.Connecter = &REST{}

// New returns an empty source object: the subresource belongs to it.
func (r *REST) New() runtime.Object { return r.NewObject() }

// Destroy has nothing to release.
func (r *REST) Destroy() {}

// ConnectMethods is GET only: artifacts are written by reconcilers.
func (r *REST) ConnectMethods() []string { return []string{http.MethodGet} }

// NewConnectOptions says the subresource takes no options.
func (r *REST) NewConnectOptions() (runtime.Object, bool, string) { return nil, false, "" }

// Connect serves the current artifact of the named object as
// application/gzip. A source without an artifact yet is NotFound.
func (r *REST) Connect(ctx context.Context, name string, _ runtime.Object, responder rest.Responder) (http.Handler, error) {
	obj, err := r.Objects.Get(ctx, name, &metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	var a *v1alpha1.Artifact
	if holder, ok := obj.(v1alpha1.ArtifactHolder); ok {
		a = holder.GetArtifact()
	}
	namespace, _ := genericapirequest.NamespaceFrom(ctx)
	if a == nil || !artifact.BelongsTo(a.Path, r.Kind, namespace, name) || !r.Storage.Exists(a.Path) {
		return nil, apierrors.NewNotFound(schema.GroupResource{Group: r.Resource.Group, Resource: r.Resource.Resource + "/artifact"}, name)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		f, err := r.Storage.Open(a.Path)
		if err != nil {
			// Garbage-collected since Connect looked: the caller reads again.
			responder.Error(apierrors.NewNotFound(r.Resource, name))
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", "application/gzip")
		http.ServeContent(w, req, path.Base(a.Path), a.LastUpdateTime.Time, f)
	}), nil
}
