package gitrepository

import (
	"fmt"
	"slices"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// artifactUpToDate reports whether the stored artifact already is rev,
// built with the current ignore, verification, submodule and sparse
// checkout settings: then nothing is downloaded.
func artifactUpToDate(obj *v1alpha1.GitRepository, rev remoteRevision) bool {
	a := obj.Status.Artifact
	return a != nil && a.Revision == rev.String() && equalIgnore(obj.Status.ObservedIgnore, obj.Spec.Ignore) &&
		verificationMode(obj) == observedVerificationMode(obj) &&
		obj.Status.ObservedRecurseSubmodules == obj.Spec.RecurseSubmodules &&
		slices.Equal(obj.Status.ObservedSparseCheckout, obj.Spec.SparseCheckout)
}

func equalIgnore(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// storeArtifact archives the checkout in dir, included artifacts copied
// in, as the object's new artifact and garbage-collects older ones.
func (r *Reconciler) storeArtifact(obj *v1alpha1.GitRepository, dir string, rev remoteRevision, included []includedSource) error {
	exclude, err := source.ExcludeFor(dir, obj.Spec.Ignore)
	if err != nil {
		return &outcome.Failure{Condition: source.StorageOperationFailedCondition, Reason: v1alpha1.ArchiveOperationFailedReason, Err: err}
	}
	stored, err := r.Storage.Archive(kind, obj.Namespace, obj.Name, rev.commit.String()+".tar.gz", dir, exclude)
	if err != nil {
		return &outcome.Failure{Condition: source.StorageOperationFailedCondition, Reason: v1alpha1.ArchiveOperationFailedReason, Err: err}
	}
	size := stored.Size
	obj.Status.Artifact = &v1alpha1.Artifact{
		Path:           stored.Path,
		URL:            ArtifactURL(obj.Namespace, obj.Name),
		Revision:       rev.String(),
		Digest:         stored.Digest,
		Size:           &size,
		LastUpdateTime: metav1.NewTime(time.Now().Truncate(time.Second)),
	}
	obj.Status.ObservedIgnore = obj.Spec.Ignore
	obj.Status.ObservedInclude = obj.Spec.Include
	obj.Status.IncludedArtifacts = includedArtifacts(included)
	obj.Status.ObservedRecurseSubmodules = obj.Spec.RecurseSubmodules
	obj.Status.ObservedSparseCheckout = obj.Spec.SparseCheckout
	obj.Status.SourceVerificationMode = nil
	if mode := verificationMode(obj); mode != "" {
		obj.Status.SourceVerificationMode = &mode
	}
	if err := r.Storage.GarbageCollect(kind, obj.Namespace, obj.Name, stored.Path); err != nil {
		// Old files take space but harm nothing; the next run tries again.
		klog.Background().Error(err, "Garbage-collecting artifacts", "gitrepository", klog.KObj(obj))
	}
	return nil
}

// ArtifactURL is where the API serves a GitRepository's artifact: its
// artifact subresource, relative to the API server (kubectl get --raw URL).
func ArtifactURL(namespace, name string) string {
	return fmt.Sprintf("/apis/%s/namespaces/%s/gitrepositories/%s/artifact",
		v1alpha1.SchemeGroupVersion.String(), namespace, name)
}
