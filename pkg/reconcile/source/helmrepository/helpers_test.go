package helmrepository

import (
	"context"
	"crypto/tls"
	"net/url"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

func newTestReconciler(t *testing.T) *Reconciler {
	return &Reconciler{Storage: &artifact.Storage{Root: t.TempDir(), Keep: 2}}
}

func helmRepository(url string) *v1alpha1.HelmRepository {
	obj := &v1alpha1.HelmRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "charts", Generation: 1},
		Spec:       v1alpha1.HelmRepositorySpec{URL: url, Type: v1alpha1.HelmRepositoryTypeDefault},
	}
	obj.Spec.Interval.Duration = time.Minute
	return obj
}

// accessWith is the Access obj's Secrets would give with creds.
func accessWith(t *testing.T, obj *v1alpha1.HelmRepository, creds credentials) *Access {
	t.Helper()
	u, err := url.Parse(obj.Spec.URL)
	if err != nil {
		t.Fatal(err)
	}
	return newAccess(obj, u, creds)
}

// trusting is the TLS configuration of a certSecretRef holding caPEM.
func trusting(t *testing.T, caPEM string) *tls.Config {
	t.Helper()
	ref := secretref.Ref{Namespace: "ns", Name: "ca", Field: "spec.certSecretRef"}
	config, err := secretref.TLSConfig(ref, map[string][]byte{"ca.crt": []byte(caPEM)})
	if err != nil {
		t.Fatal(err)
	}
	return config
}

// reconcileSteps runs the steps on obj without writing its status.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.HelmRepository) error {
	_, err := r.Kind().RunSteps(ctx, obj)
	return err
}
