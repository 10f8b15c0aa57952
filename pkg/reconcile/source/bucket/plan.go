package bucket

import (
	"context"
	"net/http"

	"github.com/minio/minio-go/v7"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// fetchPlan is what a fetch needs: the client and the objects to download.
type fetchPlan struct {
	client    *minio.Client
	transport *http.Transport
	index     objectIndex
}

// close lets go of the plan's connections; each reconciliation has its own.
func (p *fetchPlan) close() {
	if p.transport != nil {
		p.transport.CloseIdleConnections()
	}
}

// planFetch checks the spec, reads the Secrets and lists the bucket,
// without downloading any object but the ignore file.
func (r *Reconciler) planFetch(ctx context.Context, obj *v1alpha1.Bucket, plan *fetchPlan) error {
	if err := checkSupported(obj); err != nil {
		return err
	}
	if err := checkLocation(obj); err != nil {
		return err
	}
	creds, err := r.getCredentials(ctx, obj)
	if err != nil {
		return err
	}
	if plan.client, plan.transport, err = newClient(obj, creds); err != nil {
		return err
	}
	ignore, err := ignoreMatcher(ctx, plan.client, obj)
	if err != nil {
		return err
	}
	plan.index, err = listIndex(ctx, plan.client, obj, ignore)
	return err
}
