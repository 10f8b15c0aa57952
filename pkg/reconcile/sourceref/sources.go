package sourceref

import (
	"context"
	"fmt"
	"io"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Sources reads sources from the informers' caches and fetches their
// artifacts.
type Sources struct {
	// Listers read the sources of each kind, by kind.
	Listers map[string]cache.GenericLister
	// API is the server's loopback REST client, which artifacts are
	// downloaded through.
	API rest.Interface
	// Open downloads the artifact of a source; nil downloads it from the
	// artifact subresource through API. Tests without a server set it.
	Open func(ctx context.Context, ref Ref) (io.ReadCloser, error)
}

// Get reads the source ref names from the cache; a missing one is a
// NotFound error.
func (s *Sources) Get(ref Ref) (v1alpha1.ArtifactHolder, error) {
	lister, ok := s.Listers[ref.Kind]
	if !ok {
		return nil, fmt.Errorf("sources of kind %s are not read", ref.Kind)
	}
	obj, err := lister.ByNamespace(ref.Namespace).Get(ref.Name)
	if err != nil {
		return nil, err
	}
	src, ok := obj.(v1alpha1.ArtifactHolder)
	if !ok {
		return nil, fmt.Errorf("%s is a %T, which has no artifact", ref, obj)
	}
	return src, nil
}

// Artifact returns the source's current artifact. A missing source, or one
// without an artifact yet, is waited for: the failure's error is a
// *Missing.
func (s *Sources) Artifact(ref Ref) (*v1alpha1.Artifact, error) {
	src, err := s.Get(ref)
	if apierrors.IsNotFound(err) {
		return nil, waiting(&Missing{Ref: ref, NotFound: err})
	}
	if err != nil {
		return nil, err
	}
	a := src.GetArtifact()
	if a == nil {
		return nil, waiting(&Missing{Ref: ref})
	}
	return a, nil
}

// Missing is a source that is not there, or has no artifact yet. Referrers
// that report these under reasons of their own look for it.
type Missing struct {
	Ref Ref
	// NotFound is the cache's error when the source is not there; nil when
	// it is there without an artifact.
	NotFound error
}

func (m *Missing) Error() string {
	if m.NotFound != nil {
		return fmt.Sprintf("Source '%s' not found", m.Ref)
	}
	return fmt.Sprintf("Source '%s' is not ready, artifact not found", m.Ref)
}

func waiting(err error) *outcome.Failure {
	return &outcome.Failure{Reason: v1alpha1.ArtifactFailedReason, Err: err, Waiting: true}
}
