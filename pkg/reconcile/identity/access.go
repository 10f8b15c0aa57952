package identity

import (
	"context"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Check returns nil when id may do what attributes say, else a failure
// (retried: a new RoleBinding may allow it) naming field, id and the
// permission, in the words of Kubernetes' own "forbidden" errors.
func (r Resolver) Check(ctx context.Context, field string, id Identity, attributes authorizationv1.ResourceAttributes) error {
	if r.Reviews == nil || id.Server {
		return nil
	}
	extra := make(map[string]authorizationv1.ExtraValue, len(id.Extra))
	for k, v := range id.Extra {
		extra[k] = v
	}
	review, err := r.Reviews.Create(ctx, &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User: id.Name, UID: id.UID, Groups: id.Groups, Extra: extra, ResourceAttributes: &attributes,
	}}, metav1.CreateOptions{})
	if err != nil {
		return outcome.Failed(v1alpha1.ReconciliationFailedReason, "%s: checking the permissions of %s: %v", field, id, err)
	}
	if review.Status.Allowed {
		return nil
	}
	resource := attributes.Resource
	if attributes.Subresource != "" {
		resource += "/" + attributes.Subresource
	}
	return outcome.Failed(v1alpha1.AccessDeniedReason, "%s: %s cannot %s resource %q in API group %q in the namespace %q",
		field, id, attributes.Verb, resource, attributes.Group, attributes.Namespace)
}

// Resolve is whom an object acts as (For), once the cluster has confirmed
// that its owner may act as its ServiceAccount. The API checks that when a
// user sets spec.serviceAccountName; a git push cannot be checked then.
func (r Resolver) Resolve(ctx context.Context, namespace, serviceAccountName string, owner *v1alpha1.Owner) (Identity, error) {
	as := r.For(namespace, serviceAccountName, owner)
	if !as.ServiceAccount {
		return as, nil
	}
	return as, r.Check(ctx, "spec.serviceAccountName", r.Owner(owner), authorizationv1.ResourceAttributes{
		Verb: "impersonate", Resource: "serviceaccounts", Namespace: namespace, Name: serviceAccountName,
	})
}

// CheckSource checks that id may read the artifact of a source in another
// namespace, as a user reading it through the API would need to.
func (r Resolver) CheckSource(ctx context.Context, field string, id Identity, kind, namespace, name string) error {
	info, ok := v1alpha1.KindNamed(kind)
	if !ok {
		return outcome.Stalled(v1alpha1.ArtifactFailedReason, "%s.kind: unknown kind %q", field, kind)
	}
	return r.Check(ctx, field, id, authorizationv1.ResourceAttributes{
		Verb: "get", Group: v1alpha1.GroupName, Resource: info.Resource, Subresource: "artifact", Namespace: namespace, Name: name,
	})
}
