package e2e

import (
	"testing"
	"time"

	"gitops.io/apiserver/test/s3server"
)

// A Kustomization whose sourceRef is a Bucket of an S3 server on loopback
// applies its objects and follows a new revision.
func TestKustomizationFromBucket(t *testing.T) {
	useReconcilers(t)
	accessKey, secretKey := "ak-"+randomHex(t), "sk-"+randomHex(t)
	s3 := s3server.Start(t, accessKey, secretKey)
	ns := newNamespace(t)
	s3.CreateBucket(t, ns)
	s3.Put(t, ns, "deploy/config.yaml", configMap("from-bucket", ns, "v1"))
	createBucketSecret(t, ns, "s3-auth", accessKey, secretKey)
	applyBucket(t, ns, "manifests", "generic", ns, s3.Endpoint, "s3-auth", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "bucket/manifests", "-n", ns)
	first := artifactStatusOf(t, ns, "bucket/manifests").revision

	kubectlWithInput(t, `apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: app
spec:
  interval: 10m
  path: ./deploy
  prune: true
  sourceRef:
    kind: Bucket
    name: manifests
`, "apply", "-n", ns, "-f", "-")
	app := &kustomizeApp{ns: ns}
	app.waitForReady(t, "app", first)
	if got := kubectl(t, "get", "configmap", "from-bucket", "-n", ns, "-o", "jsonpath={.data.value}"); got != "v1" {
		t.Errorf("the ConfigMap applied from the Bucket holds %q, want v1", got)
	}

	s3.Put(t, ns, "deploy/config.yaml", configMap("from-bucket", ns, "v2"))
	kubectl(t, "annotate", "bucket", "manifests", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}="+bucketRevision(map[string]string{
		"deploy/config.yaml": configMap("from-bucket", ns, "v2"),
	}), "bucket/manifests", "-n", ns)
	second := artifactStatusOf(t, ns, "bucket/manifests").revision
	// The interval is 10m: the Bucket's new artifact wakes the Kustomization.
	app.waitForReady(t, "app", second)
	if got := kubectl(t, "get", "configmap", "from-bucket", "-n", ns, "-o", "jsonpath={.data.value}"); got != "v2" {
		t.Errorf("after the Bucket's new revision the ConfigMap holds %q, want v2", got)
	}
	assertLogHasNo(t, secretKey)
}
