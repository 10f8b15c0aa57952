package bucket

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/test/s3server"
)

const (
	testAccessKey = "test-access-key"
	testSecretKey = "test-secret-key"
	testBucket    = "manifests"
)

// newTestReconciler reads Secrets from an in-memory clientset holding
// secrets, all in namespace "ns".
func newTestReconciler(t *testing.T, secrets ...*corev1.Secret) *Reconciler {
	clientset := fake.NewClientset()
	for _, s := range secrets {
		s.Namespace = "ns"
		if _, err := clientset.CoreV1().Secrets("ns").Create(t.Context(), s, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return &Reconciler{Secrets: clientset.CoreV1(), Storage: &artifact.Storage{Root: t.TempDir(), Keep: 2}}
}

// credentialsSecret is a Secret with Flux's bucket keys.
func credentialsSecret(name, accessKey, secretKey string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Data:       map[string][]byte{"accesskey": []byte(accessKey), "secretkey": []byte(secretKey)},
	}
}

// newS3 starts a plain HTTP S3 server with bucket testBucket holding objects.
func newS3(t *testing.T, objects map[string]string) *s3server.Server {
	s3 := s3server.Start(t, testAccessKey, testSecretKey)
	s3.CreateBucket(t, testBucket)
	for key, content := range objects {
		s3.Put(t, testBucket, key, content)
	}
	return s3
}

// newBucket is a Bucket of testBucket at endpoint over plain HTTP, with
// the credentials of Secret "s3-auth".
func newBucket(endpoint string) *v1alpha1.Bucket {
	obj := &v1alpha1.Bucket{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app", Generation: 1},
		Spec: v1alpha1.BucketSpec{
			Provider:   v1alpha1.CloudProviderGeneric,
			BucketName: testBucket,
			Endpoint:   endpoint,
			Insecure:   true,
			SecretRef:  &v1alpha1.LocalObjectReference{Name: "s3-auth"},
		},
	}
	obj.Spec.Interval.Duration = time.Minute
	return obj
}

// expectedRevision computes Flux's revision independently: S3's ETag of
// a single-part object is the MD5 of its content.
func expectedRevision(objects map[string]string) string {
	var lines []string
	for key, content := range objects {
		lines = append(lines, fmt.Sprintf("%s %x\n", key, md5.Sum([]byte(content))))
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// storedFiles returns the sha256 digest of obj's artifact file and the
// regular files in it.
func storedFiles(t *testing.T, r *Reconciler, obj *v1alpha1.Bucket) (string, map[string]string) {
	t.Helper()
	data, digest := artifacttest.Read(t, r.Storage, obj.Status.Artifact)
	return digest, artifacttest.Files(t, data)
}

// objectReads counts the downloads of objects of testBucket among requests.
func objectReads(requests []string) int {
	n := 0
	for _, r := range requests {
		if strings.HasPrefix(r, "GET /"+testBucket+"/") && r != "GET /"+testBucket+"/" &&
			!strings.HasSuffix(r, "/.sourceignore") {
			n++
		}
	}
	return n
}

// reconcileSteps runs the steps on obj without writing its status.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.Bucket) error {
	_, err := r.Kind().RunSteps(ctx, obj)
	return err
}
