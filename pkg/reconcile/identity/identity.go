package identity

import (
	"fmt"

	"k8s.io/apiserver/pkg/authentication/serviceaccount"
	"k8s.io/apiserver/pkg/authentication/user"
	authorizationv1client "k8s.io/client-go/kubernetes/typed/authorization/v1"
	"k8s.io/client-go/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Identity is a Kubernetes user a reconciler acts as.
type Identity struct {
	Name   string
	UID    string
	Groups []string
	Extra  map[string][]string
	// ServiceAccount: the identity is that of spec.serviceAccountName.
	ServiceAccount bool
	// Server: the identity is the server's own, used as it is rather than
	// impersonated.
	Server bool
}

// Resolver resolves objects to identities, and asks the cluster's
// authorizer what those may do.
type Resolver struct {
	// Server is the server's own identity on its cluster.
	Server v1alpha1.Owner
	// Reviews creates SubjectAccessReviews; nil without a cluster, where
	// there is no RBAC to ask.
	Reviews authorizationv1client.SubjectAccessReviewInterface
}

// For is whom an object in namespace acts as: the ServiceAccount named
// serviceAccountName in namespace when that is set, else its owner.
func (r Resolver) For(namespace, serviceAccountName string, owner *v1alpha1.Owner) Identity {
	if serviceAccountName != "" {
		return ServiceAccount(namespace, serviceAccountName)
	}
	return r.Owner(owner)
}

// Owner is the identity of owner. An object without one was stored before
// owners were recorded, and acts as the server did then (Adopt records it).
func (r Resolver) Owner(owner *v1alpha1.Owner) Identity {
	if owner == nil || owner.Username == r.Server.Username {
		return Identity{Name: r.Server.Username, UID: r.Server.UID, Groups: r.Server.Groups, Extra: r.Server.Extra, Server: true}
	}
	return Identity{Name: owner.Username, UID: owner.UID, Groups: owner.Groups, Extra: owner.Extra}
}

// ServiceAccount is the identity of a ServiceAccount, with the groups the
// cluster gives it.
func ServiceAccount(namespace, name string) Identity {
	return Identity{
		Name:           serviceaccount.MakeUsername(namespace, name),
		Groups:         append(serviceaccount.MakeGroupNames(namespace), user.AllAuthenticated),
		ServiceAccount: true,
	}
}

// Impersonation is how a client acts as id; none for the server's own.
func (id Identity) Impersonation() rest.ImpersonationConfig {
	if id.Server {
		return rest.ImpersonationConfig{}
	}
	return rest.ImpersonationConfig{UserName: id.Name, UID: id.UID, Groups: id.Groups, Extra: id.Extra}
}

// String names id in messages as Kubernetes names users in its own.
func (id Identity) String() string {
	return fmt.Sprintf("User %q", id.Name)
}
