package kindregistry

import (
	"context"
	"slices"

	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/endpoints/request"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// OwnerOf is the owner a write by u gives an object.
func OwnerOf(u user.Info) *v1alpha1.Owner {
	owner := &v1alpha1.Owner{Username: u.GetName(), UID: u.GetUID(), Groups: slices.Clone(u.GetGroups())}
	if extra := u.GetExtra(); len(extra) > 0 {
		owner.Extra = make(map[string][]string, len(extra))
		for k, v := range extra {
			owner.Extra[k] = slices.Clone(v)
		}
	}
	return owner
}

// requestOwner is the owner a request makes, nil for one without a user
// (none comes through the API without one).
func requestOwner(ctx context.Context) *v1alpha1.Owner {
	u, ok := request.UserFrom(ctx)
	if !ok || u.GetName() == "" {
		return nil
	}
	return OwnerOf(u)
}

// mayAdoptOwner says whether a write by the request may record an owner
// other than its writer: only the server's own loopback client may, and
// only for an object that has none (a new one, or one stored before owners
// were recorded).
func mayAdoptOwner(ctx context.Context, old *v1alpha1.Owner) bool {
	u, ok := request.UserFrom(ctx)
	return old == nil && ok && u.GetName() == user.APIServerUser
}
