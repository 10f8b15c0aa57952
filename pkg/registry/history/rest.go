// Package history serves an object's history as a subresource of its
// resource, e.g. kustomizations/history: the commits of the storage branch
// that changed the object's manifest, newest first, and the object as it was
// at one of them. The generic API server checks `get <resource>/history`
// before Connect is called, so whoever may get an object may read its
// history, also once it is deleted.
package history

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	genericregistry "k8s.io/apiserver/pkg/registry/generic/registry"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// REST is the history subresource of one resource.
type REST struct {
	// Resource is the object's resource, e.g. kustomizations, and Kind its kind.
	Resource schema.GroupResource
	Kind     schema.GroupVersionKind
	// Log is the revision log the resource is stored in.
	Log *revlog.Log
	// Decoder reads a manifest (YAML) or a stored object (JSON) of Kind.
	Decoder runtime.Decoder
}

var _ rest.Connecter = &REST{}

// New returns an empty ObjectHistory, what the subresource lists.
func (r *REST) New() runtime.Object { return &v1alpha1.ObjectHistory{} }

// Destroy has nothing to release.
func (r *REST) Destroy() {}

// ConnectMethods is GET only: history is read-only.
func (r *REST) ConnectMethods() []string { return []string{http.MethodGet} }

// NewConnectOptions says the subresource declares no options: the handler
// reads limit, continue and at from the query itself.
func (r *REST) NewConnectOptions() (runtime.Object, bool, string) { return nil, false, "" }

// Connect serves the named object's history: an ObjectHistory page (?limit=,
// ?continue=), or with ?at=<commit or resourceVersion> the object as it was
// then.
func (r *REST) Connect(ctx context.Context, name string, _ runtime.Object, responder rest.Responder) (http.Handler, error) {
	key, err := genericregistry.NamespaceKeyFunc(ctx, gitstore.ResourcePrefix(r.Resource), name)
	if err != nil {
		return nil, err
	}
	namespace, _ := genericapirequest.NamespaceFrom(ctx)
	object := object{key: key, name: name, namespace: namespace}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		result, err := r.serve(object, req.URL.Query())
		if err != nil {
			responder.Error(err)
			return
		}
		responder.Object(http.StatusOK, result)
	}), nil
}

// object is the object whose history is asked for.
type object struct {
	key, name, namespace string
}

func (r *REST) describe(o object) string {
	return fmt.Sprintf("%s %s/%s", r.Resource.Resource, o.namespace, o.name)
}

func (r *REST) serve(o object, query url.Values) (runtime.Object, error) {
	if at := query.Get("at"); at != "" {
		if query.Has("limit") || query.Has("continue") {
			return nil, apierrors.NewBadRequest("at cannot be combined with limit or continue")
		}
		return r.objectAt(o, at)
	}
	limit := 0
	if s := query.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("limit %q is not a number of commits", s))
		}
		limit = n
	}
	from, err := revlog.ParseHistoryCursor(query.Get("continue"))
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	changes, next, err := r.Log.ManifestHistory(o.key, from, limit)
	switch {
	case errors.Is(err, revlog.ErrUnknownCommit):
		return nil, apierrors.NewBadRequest(fmt.Sprintf("continue token %q: %v", query.Get("continue"), err))
	case err != nil:
		return nil, apierrors.NewInternalError(fmt.Errorf("history of %s: %w", r.describe(o), err))
	case len(changes) == 0 && from.IsZero():
		return nil, apierrors.NewNotFound(r.Resource, o.name)
	}
	h := &v1alpha1.ObjectHistory{Items: make([]v1alpha1.HistoryEntry, 0, len(changes))}
	h.Continue = next.String()
	for _, c := range changes {
		h.Items = append(h.Items, entry(c))
	}
	return h, nil
}

func entry(c revlog.ManifestChange) v1alpha1.HistoryEntry {
	e := v1alpha1.HistoryEntry{
		Commit:  c.Commit,
		Author:  v1alpha1.CommitAuthor{Name: c.Author.Name, Email: c.Author.Email},
		Time:    metav1.NewTime(c.When),
		Summary: strings.TrimSpace(strings.SplitN(c.Message, "\n", 2)[0]),
		Message: c.Message,
		Change:  v1alpha1.HistoryChangeUpdated,
	}
	switch c.Type {
	case revlog.Added:
		e.Change = v1alpha1.HistoryChangeCreated
	case revlog.Deleted:
		e.Change = v1alpha1.HistoryChangeDeleted
	}
	if c.Revision > 0 {
		e.ResourceVersion = strconv.FormatUint(c.Revision, 10)
	}
	return e
}

// objectAt is the object as it was at a commit (its manifest there) or at a
// resourceVersion (the whole object, from the revision log).
func (r *REST) objectAt(o object, at string) (runtime.Object, error) {
	if isCommitHash(at) {
		at = strings.ToLower(at)
		manifest, err := r.Log.ManifestAt(o.key, at)
		switch {
		case errors.Is(err, revlog.ErrUnknownCommit):
			return nil, notFound(fmt.Sprintf("the storage repository has no commit %s", at))
		case errors.Is(err, revlog.ErrNotFound):
			return nil, notFound(fmt.Sprintf("%s has no manifest at commit %s", r.describe(o), at))
		case err != nil:
			return nil, apierrors.NewInternalError(fmt.Errorf("%s at commit %s: %w", r.describe(o), at, err))
		}
		return r.decode(manifest, fmt.Sprintf("the manifest of %s at commit %s", r.describe(o), at))
	}
	rev, err := strconv.ParseUint(at, 10, 64)
	if err != nil || rev == 0 {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("at %q is neither a commit hash (40 hex digits) nor a resourceVersion", at))
	}
	e, err := r.Log.ObjectAt(o.key, rev)
	switch {
	case errors.Is(err, revlog.ErrCompacted):
		return nil, apierrors.NewResourceExpired(fmt.Sprintf("resourceVersion %d is older than the history kept (from %d)", rev, r.Log.CompactedRevision()))
	case errors.Is(err, revlog.ErrFutureRevision):
		return nil, apierrors.NewBadRequest(fmt.Sprintf("resourceVersion %d is newer than the store's %d", rev, r.Log.Revision()))
	case errors.Is(err, revlog.ErrNotFound):
		return nil, notFound(fmt.Sprintf("%s did not exist at resourceVersion %d", r.describe(o), rev))
	case err != nil:
		return nil, apierrors.NewInternalError(fmt.Errorf("%s at resourceVersion %d: %w", r.describe(o), rev, err))
	}
	obj, err := r.decode(e.Object, fmt.Sprintf("%s at resourceVersion %d", r.describe(o), rev))
	if err != nil {
		return nil, err
	}
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	accessor.SetResourceVersion(strconv.FormatUint(e.Revision, 10))
	return obj, nil
}

func (r *REST) decode(data []byte, what string) (runtime.Object, error) {
	obj, gvk, err := r.Decoder.Decode(data, &r.Kind, nil)
	if err == nil && *gvk != r.Kind {
		err = fmt.Errorf("it is a %s", gvk)
	}
	if err != nil {
		return nil, apierrors.NewInternalError(fmt.Errorf("%s is not a %s: %w", what, r.Kind.Kind, err))
	}
	return obj, nil
}

func isCommitHash(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// notFound is a 404 whose message says what is missing: a commit, or the
// object at a point of its history.
func notFound(message string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure, Code: http.StatusNotFound, Reason: metav1.StatusReasonNotFound, Message: message,
	}}
}
