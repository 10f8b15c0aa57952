package secretref

import (
	"context"
	"errors"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
)

// ErrNotFound is wrapped by the error of reading an object that does not
// exist, for references that are optional.
var ErrNotFound = errors.New("not found")

// Reader reads referred Secrets and ConfigMaps. Either client may be nil,
// when the server has no cluster; reading with it then fails, so only the
// objects that refer to something fail.
type Reader struct {
	Secrets    corev1client.SecretsGetter
	ConfigMaps corev1client.ConfigMapsGetter
}

// Secret returns the data of the Secret ref names.
func (r Reader) Secret(ctx context.Context, ref Ref) (map[string][]byte, error) {
	if r.Secrets == nil {
		return nil, noClient("Secret", ref)
	}
	secret, err := r.Secrets.Secrets(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil {
		return nil, getFailed("Secret", ref, err)
	}
	return secret.Data, nil
}

// ConfigMap returns the data of the ConfigMap ref names.
func (r Reader) ConfigMap(ctx context.Context, ref Ref) (map[string]string, error) {
	if r.ConfigMaps == nil {
		return nil, noClient("ConfigMap", ref)
	}
	cm, err := r.ConfigMaps.ConfigMaps(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil {
		return nil, getFailed("ConfigMap", ref, err)
	}
	return cm.Data, nil
}

func noClient(kind string, ref Ref) error {
	return ref.errorf("cannot read %s '%s': the server has no cluster connection", kind, ref)
}

// getFailed says why getting the object failed. The API's errors name the
// object and the request, never its data.
func getFailed(kind string, ref Ref, err error) error {
	if apierrors.IsNotFound(err) {
		return ref.errorf("%s '%s' %w", kind, ref, ErrNotFound)
	}
	return ref.errorf("reading %s '%s': %w", kind, ref, err)
}
