package bucket

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/test/s3server"
)

// failure runs the steps, which must fail, and returns how.
func failure(t *testing.T, r *Reconciler, obj *v1alpha1.Bucket) *outcome.Failure {
	t.Helper()
	err := r.reconcileSteps(t.Context(), obj)
	var se *outcome.Failure
	if !errors.As(err, &se) {
		t.Fatalf("steps returned %v, want a step error", err)
	}
	return se
}

func TestWrongAccessKeyIsAuthenticationFailed(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", "wrong-key", "wrong-secret-value"))
	obj := newBucket(s3.Endpoint)
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "sha256:kept"}

	se := failure(t, r, obj)
	if se.Reason != v1alpha1.AuthenticationFailedReason || se.Stalled || !strings.Contains(se.Error(), "InvalidAccessKeyId") {
		t.Errorf("reason %s stalled %v: %v; want a retried AuthenticationFailed naming InvalidAccessKeyId", se.Reason, se.Stalled, se)
	}
	if strings.Contains(se.Error(), "wrong-secret-value") {
		t.Errorf("the message shows the secret key: %v", se)
	}
}

func TestWrongSecretKeyIsAuthenticationFailed(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, "wrong-secret-value"))
	se := failure(t, r, newBucket(s3.Endpoint))
	if se.Reason != v1alpha1.AuthenticationFailedReason || !strings.Contains(se.Error(), "SignatureDoesNotMatch") {
		t.Errorf("reason %s: %v; want AuthenticationFailed naming SignatureDoesNotMatch", se.Reason, se)
	}
	if strings.Contains(se.Error(), "wrong-secret-value") {
		t.Errorf("the message shows the secret key: %v", se)
	}
}

func TestAnonymousAccessIsRefusedByAServerThatWantsKeys(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t)
	obj := newBucket(s3.Endpoint)
	obj.Spec.SecretRef = nil
	if se := failure(t, r, obj); se.Reason != v1alpha1.AuthenticationFailedReason || !strings.Contains(se.Error(), "AccessDenied") {
		t.Errorf("reason %s: %v; want AuthenticationFailed saying AccessDenied", se.Reason, se)
	}
}

func TestSecretProblemsAreAuthenticationFailed(t *testing.T) {
	s3 := newS3(t, nil)
	noKeys := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "no-keys"}, Data: map[string][]byte{"username": []byte("u")}}
	r := newTestReconciler(t, noKeys)
	for secret, want := range map[string]string{
		"no-keys": "required fields 'accesskey' and 'secretkey'",
		"missing": "Secret 'ns/missing' not found",
	} {
		obj := newBucket(s3.Endpoint)
		obj.Spec.SecretRef.Name = secret
		if se := failure(t, r, obj); se.Reason != v1alpha1.AuthenticationFailedReason || !strings.Contains(se.Error(), want) {
			t.Errorf("Secret %s: reason %s: %v; want AuthenticationFailed saying %q", secret, se.Reason, se, want)
		}
	}
}

func TestMissingBucketIsNamed(t *testing.T) {
	s3 := newS3(t, nil)
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(s3.Endpoint)
	obj.Spec.BucketName = "no-such-bucket"
	if se := failure(t, r, obj); se.Reason != v1alpha1.BucketOperationFailedReason || se.Error() != "bucket 'no-such-bucket' not found" {
		t.Errorf("reason %s: %v; want BucketOperationFailed naming the bucket", se.Reason, se)
	}
}

func TestUnreachableEndpointIsBucketOperationFailed(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := listener.Addr().String()
	listener.Close() // nothing listens there any more
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	se := failure(t, r, newBucket(endpoint))
	if se.Reason != v1alpha1.BucketOperationFailedReason || se.Stalled || !strings.Contains(se.Error(), "connection refused") {
		t.Errorf("reason %s stalled %v: %v; want a retried BucketOperationFailed saying the connection was refused", se.Reason, se.Stalled, se)
	}
}

func TestInvalidOrUnsupportedSpecStallsNamingTheField(t *testing.T) {
	r := newTestReconciler(t)
	for _, tc := range []struct {
		change func(*v1alpha1.Bucket)
		reason string
		field  string
	}{
		{func(b *v1alpha1.Bucket) { b.Spec.Provider = "aws" }, v1alpha1.NotSupportedReason, "spec.provider aws"},
		{func(b *v1alpha1.Bucket) { b.Spec.Provider = "gcp" }, v1alpha1.NotSupportedReason, "spec.provider gcp"},
		{func(b *v1alpha1.Bucket) { b.Spec.Provider = "azure" }, v1alpha1.NotSupportedReason, "spec.provider azure"},
		{func(b *v1alpha1.Bucket) {
			b.Spec.STS = &v1alpha1.BucketSTSSpec{Provider: v1alpha1.STSProviderLDAP, Endpoint: "https://sts.example.com"}
		}, v1alpha1.NotSupportedReason, "spec.sts"},
		{func(b *v1alpha1.Bucket) { b.Spec.Endpoint = "http://s3.example.com" }, v1alpha1.URLInvalidReason, "spec.endpoint 'http://s3.example.com'"},
		{func(b *v1alpha1.Bucket) { b.Spec.Endpoint = "s3.example.com/path" }, v1alpha1.URLInvalidReason, "spec.endpoint 's3.example.com/path'"},
		{func(b *v1alpha1.Bucket) { b.Spec.Endpoint = "s3.example.com:" }, v1alpha1.URLInvalidReason, "spec.endpoint 's3.example.com:'"},
		{func(b *v1alpha1.Bucket) { b.Spec.BucketName = "manifests/apps" }, v1alpha1.URLInvalidReason, "spec.bucketName 'manifests/apps'"},
		{func(b *v1alpha1.Bucket) {
			b.Spec.CertSecretRef = &v1alpha1.LocalObjectReference{Name: "ca"}
			b.Spec.SecretRef = nil
		}, v1alpha1.AuthenticationFailedReason, "spec.certSecretRef"},
	} {
		obj := newBucket("s3.example.com")
		tc.change(obj)
		se := failure(t, r, obj)
		if !se.Stalled || se.Reason != tc.reason || !strings.Contains(se.Error(), tc.field) {
			t.Errorf("stalled %v reason %s: %v; want stalled %s naming %s", se.Stalled, se.Reason, se, tc.reason, tc.field)
		}
	}
}

func TestKeyOutsideTheFolderIsRefused(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a", "../escape.yaml": "x"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	se := failure(t, r, newBucket(s3.Endpoint))
	if se.Reason != v1alpha1.BucketOperationFailedReason || !strings.Contains(se.Error(), "'../escape.yaml'") {
		t.Errorf("reason %s: %v; want BucketOperationFailed naming the key", se.Reason, se)
	}
}

func TestTimeoutEndsAHangingBucket(t *testing.T) {
	// A server that accepts connections and never answers.
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
		}
	}()
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	obj := newBucket(listener.Addr().String())
	obj.Spec.Timeout = &v1alpha1.Duration{Duration: 500 * time.Millisecond}
	start := time.Now()
	se := failure(t, r, obj)
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("a 500ms timeout ended the fetch after %v", elapsed)
	}
	if !strings.Contains(se.Error(), "context deadline exceeded") {
		t.Errorf("%v; want the deadline named", se)
	}
}

func TestHTTPSNeedsTheCAOfCertSecretRef(t *testing.T) {
	s3 := s3server.StartTLS(t, testAccessKey, testSecretKey)
	s3.CreateBucket(t, testBucket)
	s3.Put(t, testBucket, "a.yaml", "a")
	ca := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "ca"}, Data: map[string][]byte{"ca.crt": s3.CACert}}
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey), ca)
	obj := newBucket(s3.Endpoint)
	obj.Spec.Insecure = false

	if se := failure(t, r, obj); se.Reason != v1alpha1.BucketOperationFailedReason || !strings.Contains(se.Error(), "certificate") {
		t.Errorf("reason %s: %v; want BucketOperationFailed about the unknown certificate", se.Reason, se)
	}
	obj.Spec.CertSecretRef = &v1alpha1.LocalObjectReference{Name: "ca"}
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatalf("with the CA of certSecretRef: %v", err)
	}
	if want := expectedRevision(map[string]string{"a.yaml": "a"}); obj.Status.Artifact.Revision != want {
		t.Errorf("revision %s, want %s", obj.Status.Artifact.Revision, want)
	}
}
