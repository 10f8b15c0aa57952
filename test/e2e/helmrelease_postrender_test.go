package e2e

import (
	"fmt"
	"testing"
	"time"
)

// postRenderedRelease is the spec of a release with commonMetadata and a
// kustomize post-renderer: a strategic-merge patch annotating the
// Deployment, a JSON 6902 patch adding to the ConfigMap, and an image
// override of the Deployment's container.
func postRenderedRelease(annotation, tag string) string {
	return fmt.Sprintf(`  commonMetadata:
    labels:
      team: platform
    annotations:
      owner: sre
  postRenderers:
  - kustomize:
      patches:
      - patch: |
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
            annotations:
              patched: %s
      - target:
          kind: ConfigMap
          name: web
        patch: |
          - op: add
            path: /data/patched
            value: json6902
      images:
      - name: registry.k8s.io/pause
        newTag: "%s"
`, annotation, tag)
}

func testReleaseIsPostRendered(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", postRenderedRelease("one", "3.9"))
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	deployment := `jsonpath={.metadata.annotations.patched} {.spec.template.spec.containers[0].image}`
	if got := kubectl(t, "get", "deployment", "web", "-n", ns, "-o", deployment); got != "one registry.k8s.io/pause:3.9" {
		t.Errorf("Deployment has annotation and image %q, want the patch's and the image override's: \"one registry.k8s.io/pause:3.9\"", got)
	}
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.patched}"); got != "json6902" {
		t.Errorf("ConfigMap data.patched %q, want the JSON 6902 patch's \"json6902\"", got)
	}
	metadata := `jsonpath={.metadata.labels.team} {.metadata.annotations.owner} {.metadata.labels.helm\.toolkit\.fluxcd\.io/name}`
	for _, object := range []string{"deployment/web", "service/web", "configmap/web"} {
		if got := kubectl(t, "get", object, "-n", ns, "-o", metadata); got != "platform sre web" {
			t.Errorf("%s has label team, annotation owner and origin label %q, want commonMetadata's and the origin label: \"platform sre web\"", object, got)
		}
	}
	digests := `jsonpath={.status.observedPostRenderersDigest} {.status.observedCommonMetadataDigest}`
	observed := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", digests)
	var renderers, common string
	if _, err := fmt.Sscan(observed, &renderers, &common); err != nil {
		t.Fatalf("status records the digests %q, want both post-rendering digests: %v", observed, err)
	}

	// Only the post-renderers change: the release is out of sync and upgraded.
	applyHelmRelease(t, ns, "web", postRenderedRelease("two", "3.10"))
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=2", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=UpgradeSucceeded`, "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "deployment", "web", "-n", ns, "-o", deployment); got != "two registry.k8s.io/pause:3.10" {
		t.Errorf("after the upgrade the Deployment has annotation and image %q, want \"two registry.k8s.io/pause:3.10\"", got)
	}
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", metadata); got != "platform sre web" {
		t.Errorf("after the upgrade the ConfigMap has %q, want commonMetadata's and the origin label still", got)
	}
	var upgradedRenderers, upgradedCommon string
	if _, err := fmt.Sscan(kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", digests), &upgradedRenderers, &upgradedCommon); err != nil {
		t.Fatal(err)
	}
	if upgradedRenderers == renderers || upgradedCommon != common {
		t.Errorf("observed digests went from %s %s to %s %s, want a new post-renderers digest and the same commonMetadata one",
			renderers, common, upgradedRenderers, upgradedCommon)
	}
}
