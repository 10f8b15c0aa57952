package e2e

import (
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/test/loopback"
	"gitops.io/apiserver/test/s3server"
)

// Bucket failures: each makes Ready=False with the cause, and some heal
// once fixed. TestBucketReconciler runs them.

func testBucketWrongKeyUntilSecretIsFixed(t *testing.T, s3 *s3server.Server, accessKey, secretKey string) {
	ns := newNamespace(t)
	s3.CreateBucket(t, ns)
	s3.Put(t, ns, "app.yaml", "kind: ConfigMap\n")
	wrongSecret := "wrong-" + randomHex(t)
	createBucketSecret(t, ns, "s3-auth", accessKey, wrongSecret)
	applyBucket(t, ns, "auth", "generic", ns, s3.Endpoint, "s3-auth", "1m")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "bucket/auth", "-n", ns)
	reason, message := readyConditionOf(t, ns, "bucket/auth")
	if reason != "AuthenticationFailed" || !strings.Contains(message, "SignatureDoesNotMatch") {
		t.Errorf("Ready reason %q message %q; want AuthenticationFailed naming SignatureDoesNotMatch", reason, message)
	}
	if strings.Contains(message, wrongSecret) {
		t.Errorf("the Ready message shows the secret key: %s", message)
	}
	waitForEventOf(t, ns, "Bucket", "auth", "AuthenticationFailed", "SignatureDoesNotMatch")
	if events := kubectl(t, "get", "events", "-n", ns, "-o", "yaml"); strings.Contains(events, wrongSecret) {
		t.Errorf("an Event shows the secret key")
	}

	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	// No request: the retries (backoff, at most the 1m interval) find the fix.
	kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "bucket/auth", "-n", ns)
	if rev := artifactStatusOf(t, ns, "bucket/auth").revision; rev != bucketRevision(map[string]string{"app.yaml": "kind: ConfigMap\n"}) {
		t.Errorf("revision %s after the fix", rev)
	}
	assertLogHasNo(t, wrongSecret)
}

func testBucketUnreachableEndpoint(t *testing.T, _ *s3server.Server, accessKey, secretKey string) {
	ns := newNamespace(t)
	addr := loopback.FreeAddr(t) // nothing listens there yet
	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	applyBucket(t, ns, "unreachable", "generic", "manifests", addr, "s3-auth", "1m")
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "bucket/unreachable", "-n", ns)
	reason, message := readyConditionOf(t, ns, "bucket/unreachable")
	if reason != "BucketOperationFailed" || !strings.Contains(message, "connection refused") {
		t.Errorf("Ready reason %q message %q; want BucketOperationFailed saying the connection was refused", reason, message)
	}
	if got := kubectl(t, "get", "bucket", "unreachable", "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="FetchFailed")].status}`); got != "True" {
		t.Errorf("FetchFailed is %q, want True", got)
	}

	s3 := s3server.StartAt(t, addr, accessKey, secretKey)
	s3.CreateBucket(t, "manifests")
	s3.Put(t, "manifests", "app.yaml", "kind: ConfigMap\n")
	// No request: the retries (backoff, at most the 1m interval) reach it.
	revision := bucketRevision(map[string]string{"app.yaml": "kind: ConfigMap\n"})
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.artifact.revision}="+revision, "bucket/unreachable", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "bucket/unreachable", "-n", ns)
}

func testBucketMissingUntilCreated(t *testing.T, s3 *s3server.Server, accessKey, secretKey string) {
	ns := newNamespace(t)
	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	applyBucket(t, ns, "missing", "generic", ns, s3.Endpoint, "s3-auth", "1m")
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "bucket/missing", "-n", ns)
	reason, message := readyConditionOf(t, ns, "bucket/missing")
	if reason != "BucketOperationFailed" || !strings.Contains(message, "bucket '"+ns+"' not found") {
		t.Errorf("Ready reason %q message %q; want BucketOperationFailed naming bucket %s", reason, message, ns)
	}

	s3.CreateBucket(t, ns)
	s3.Put(t, ns, "app.yaml", "kind: ConfigMap\n")
	// No request: the retries (backoff, at most the 1m interval) find it.
	revision := bucketRevision(map[string]string{"app.yaml": "kind: ConfigMap\n"})
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.artifact.revision}="+revision, "bucket/missing", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "bucket/missing", "-n", ns)
}

func testBucketCloudProviderStalls(t *testing.T, s3 *s3server.Server, accessKey, secretKey string) {
	ns := newNamespace(t)
	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	applyBucket(t, ns, "aws", "aws", ns, s3.Endpoint, "s3-auth", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Stalled", "bucket/aws", "-n", ns)
	reason, message := readyConditionOf(t, ns, "bucket/aws")
	if reason != "NotSupported" || !strings.Contains(message, "spec.provider aws") {
		t.Errorf("Ready reason %q message %q; want NotSupported naming spec.provider", reason, message)
	}
}
