package e2e

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/test/s3server"
)

// The Bucket reconciler against an S3 server (gofakes3) on loopback that
// checks the signature of every request.
func TestBucketReconciler(t *testing.T) {
	useReconcilers(t)
	accessKey, secretKey := "ak-"+randomHex(t), "sk-"+randomHex(t)
	s3 := s3server.Start(t, accessKey, secretKey)
	showServerLogOnFailure(t, secretKey)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, s3 *s3server.Server, accessKey, secretKey string)
	}{
		{"becomes Ready with revision and digest, and follows a new object on request", testBucketReadyAndNewObjectOnRequest},
		{"wrong secret key is AuthenticationFailed until the Secret is fixed", testBucketWrongKeyUntilSecretIsFixed},
		{"unreachable endpoint is not Ready and says so, until the server is up", testBucketUnreachableEndpoint},
		{"missing bucket is not Ready and names the bucket, until it is created", testBucketMissingUntilCreated},
		{"new object is picked up on the interval", testBucketNewObjectOnInterval},
		{"cloud providers stall as not supported", testBucketCloudProviderStalls},
		{"deleting removes its artifacts", testBucketDeleteRemovesArtifacts},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, s3, accessKey, secretKey)
		})
	}
}

func testBucketReadyAndNewObjectOnRequest(t *testing.T, s3 *s3server.Server, accessKey, secretKey string) {
	ns := newNamespace(t)
	objects := map[string]string{"deploy/app.yaml": "kind: ConfigMap\n", "deploy/service.yaml": "kind: Service\n"}
	s3.CreateBucket(t, ns)
	for key, content := range objects {
		s3.Put(t, ns, key, content)
	}
	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	applyBucket(t, ns, "app", "generic", ns, s3.Endpoint, "s3-auth", "10m")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "bucket/app", "-n", ns)
	artifact := artifactStatusOf(t, ns, "bucket/app")
	if want := bucketRevision(objects); artifact.revision != want {
		t.Errorf("revision %q, want %s, the digest of the keys and ETags", artifact.revision, want)
	}
	data := artifactBytes(t, artifact, "")
	if got := digestOf(data); got != artifact.digest {
		t.Errorf("the served artifact has digest %s, status.artifact.digest is %s", got, artifact.digest)
	}
	if files := tarFiles(t, data); strings.Join(files, ",") != "deploy/,deploy/app.yaml,deploy/service.yaml" {
		t.Errorf("artifact holds %v; want the bucket's objects", files)
	}
	waitForEventOf(t, ns, "Bucket", "app", "NewArtifact", "stored artifact for revision '"+artifact.revision+"'")

	s3.Put(t, ns, "deploy/new.yaml", "kind: Secret\n")
	objects["deploy/new.yaml"] = "kind: Secret\n"
	request := time.Now().Format(time.RFC3339Nano)
	kubectl(t, "annotate", "bucket", "app", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+request)
	// The interval is 10m: only the request makes this happen in time.
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}="+bucketRevision(objects), "bucket/app", "-n", ns)
	if handled := kubectl(t, "get", "bucket", "app", "-n", ns, "-o", "jsonpath={.status.lastHandledReconcileAt}"); handled != request {
		t.Errorf("lastHandledReconcileAt %q, want the request's %q", handled, request)
	}
	newer := artifactStatusOf(t, ns, "bucket/app")
	newerData := artifactBytes(t, newer, "")
	if newer.digest == artifact.digest || digestOf(newerData) != newer.digest {
		t.Errorf("after a new object: digest %s (was %s), not matching the served bytes", newer.digest, artifact.digest)
	}
	if got := tarFileContent(t, newerData, "deploy/new.yaml"); got != "kind: Secret\n" {
		t.Errorf("the new object in the artifact holds %q", got)
	}

	t.Run("artifact is served to a viewer and refused to a user without a role", func(t *testing.T) {
		bindRole(t, ns, "e2e-bucket-viewer", "gitops-view", "get")
		if got := digestOf(artifactBytes(t, newer, "e2e-bucket-viewer")); got != newer.digest {
			t.Errorf("the viewer got an artifact with digest %s, want %s", got, newer.digest)
		}
		out, err := kubectlRaw(t, newer.url, "e2e-nobody")
		if err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("a user without a role fetched the artifact (%d bytes): %v", len(out), err)
		}
	})
}

func testBucketNewObjectOnInterval(t *testing.T, s3 *s3server.Server, accessKey, secretKey string) {
	ns := newNamespace(t)
	objects := map[string]string{"app.yaml": "kind: ConfigMap\n"}
	s3.CreateBucket(t, ns)
	s3.Put(t, ns, "app.yaml", objects["app.yaml"])
	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	applyBucket(t, ns, "interval", "generic", ns, s3.Endpoint, "s3-auth", "3s")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "bucket/interval", "-n", ns)
	s3.Put(t, ns, "new.yaml", "kind: Secret\n")
	objects["new.yaml"] = "kind: Secret\n"
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}="+bucketRevision(objects), "bucket/interval", "-n", ns)
}

func testBucketDeleteRemovesArtifacts(t *testing.T, s3 *s3server.Server, accessKey, secretKey string) {
	ns := newNamespace(t)
	s3.CreateBucket(t, ns)
	s3.Put(t, ns, "app.yaml", "kind: ConfigMap\n")
	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	applyBucket(t, ns, "deleted", "generic", ns, s3.Endpoint, "s3-auth", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "bucket/deleted", "-n", ns)
	path := kubectl(t, "get", "bucket", "deleted", "-n", ns, "-o", "jsonpath={.status.artifact.path}")
	// The server keeps artifacts next to its storage repository.
	file := filepath.Join(filepath.Dir(env.storage), "artifacts", filepath.FromSlash(path))
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("the artifact of a Ready Bucket: %v", err)
	}
	kubectl(t, "delete", "bucket", "deleted", "-n", ns)
	err := eventually(10*time.Second, func() error {
		if _, err := os.Stat(filepath.Dir(file)); !os.IsNotExist(err) {
			return fmt.Errorf("%s still exists (%v)", filepath.Dir(file), err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// applyBucket applies a Bucket over plain HTTP with the keys of Secret
// secret, checked every interval.
func applyBucket(t *testing.T, ns, name, provider, bucketName, endpoint, secret, interval string) {
	t.Helper()
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: Bucket
metadata:
  name: %s
spec:
  provider: %s
  bucketName: %s
  endpoint: %s
  insecure: true
  interval: %s
  secretRef:
    name: %s
`, name, provider, bucketName, endpoint, interval, secret), "apply", "-n", ns, "-f", "-")
}

// createBucketSecret creates or replaces a Secret with Flux's bucket keys.
func createBucketSecret(t *testing.T, ns, name, accessKey, secretKey string) {
	t.Helper()
	manifest := kubectl(t, "create", "secret", "generic", name, "-n", ns, "--dry-run=client", "-o", "yaml",
		"--from-literal=accesskey="+accessKey, "--from-literal=secretkey="+secretKey)
	kubectlWithInput(t, manifest, "apply", "-f", "-")
}

// bucketRevision is Flux's revision of a bucket holding objects, computed
// here independently: sha256 of the sorted "<key> <etag>" lines, where
// the ETag of an object uploaded in one part is the MD5 of its content.
func bucketRevision(objects map[string]string) string {
	var lines []string
	for key, content := range objects {
		lines = append(lines, fmt.Sprintf("%s %x\n", key, md5.Sum([]byte(content))))
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	return "sha256:" + hex.EncodeToString(sum[:])
}
