package gitstore

import (
	"context"

	"k8s.io/apiserver/pkg/endpoints/request"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
)

// ServerAuthor signs writes that carry no Kubernetes user, such as the
// server's own reconcilers calling storage directly.
var ServerAuthor = gitrepo.Author{Name: "gitops-apiserver", Email: "gitops-apiserver@gitops.io"}

// authorFrom makes the requesting Kubernetes user the commit's author.
func authorFrom(ctx context.Context) gitrepo.Author {
	u, ok := request.UserFrom(ctx)
	if !ok || u.GetName() == "" {
		return ServerAuthor
	}
	return gitrepo.Author{Name: u.GetName(), Email: u.GetName() + "@users.gitops.io"}
}
