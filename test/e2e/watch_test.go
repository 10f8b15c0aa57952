package e2e

import (
	"regexp"
	"testing"
	"time"
)

func TestWatchSeesChangeByAnotherClient(t *testing.T) {
	ns := newNamespace(t)
	kubectl(t, "apply", "-n", ns, "-f", "testdata/kustomization.yaml")

	watch := startKubectl(t, "get", "ks", "-n", ns, "-w", "-o", `jsonpath={.metadata.name} path={.spec.path}{"\n"}`)
	// The current state comes first; once it is there the watch is running.
	if _, err := watch.waitForLine(regexp.MustCompile(`^podinfo path=\./kustomize$`), 10*time.Second); err != nil {
		t.Fatalf("kubectl get -w: %v", err)
	}

	kubectl(t, "patch", "ks", "podinfo", "-n", ns, "--type=merge", "-p", `{"spec":{"path":"./changed"}}`)
	if _, err := watch.waitForLine(regexp.MustCompile(`^podinfo path=\./changed$`), 10*time.Second); err != nil {
		t.Errorf("kubectl get -w did not see the patch: %v", err)
	}
}
