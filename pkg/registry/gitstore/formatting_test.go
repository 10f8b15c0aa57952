package gitstore_test

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"
)

// pushedPod is a manifest as a person writes it: a comment, flow style, a
// blank line and quotes.
const pushedPod = `# The web pod.
apiVersion: example.apiserver.k8s.io/v1
kind: Pod
metadata: {name: web, namespace: apps}

spec:
  nodeName: "node-a"   # pinned
  hostname: web
`

func TestServerWritesKeepAPushedFileByteForByte(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	w, err := s.Watch(t.Context(), "/pods/", storage.ListOptions{ResourceVersion: "0", Predicate: storage.Everything, Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	pushFile(t, clone(t, dir), "apps/pods/web.yaml", pushedPod)
	nextEvent(t, w, 2*time.Second)
	mainBefore := git(t, dir, "rev-parse", "main")

	update(t, s, "/pods/apps/web", func(p *example.Pod) {
		p.Status.Phase = "Running"
		p.Finalizers = []string{"example.io/cleanup"}
		p.Annotations = map[string]string{
			"reconcile.fluxcd.io/requestedAt":                  "now",
			"kubectl.kubernetes.io/last-applied-configuration": "{}",
		}
	})
	l.Repo().Settle() // the Git view follows the API answer
	if git(t, dir, "rev-parse", "main") != mainBefore {
		t.Errorf("a status, finalizer and reconcile-request write made a commit on main:\n%s", git(t, dir, "show", "main"))
	}

	update(t, s, "/pods/apps/web", func(p *example.Pod) { p.Spec.NodeName = "node-b" })
	l.Repo().Settle()
	want := strings.Replace(pushedPod, `"node-a"`, `"node-b"`, 1)
	if got := git(t, dir, "show", "main:apps/pods/web.yaml") + "\n"; got != want {
		t.Errorf("after an update of spec.nodeName the file reads\n%s\nwant only that value changed:\n%s", got, want)
	}
}

func TestOperationalAnnotationsAreServedButNotCommitted(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	s := podStore(t, l)
	createPod(t, t.Context(), s, "apps", "web", "n")
	l.Repo().Settle() // the Git view follows the API answer
	mainBefore := git(t, dir, "rev-parse", "main")

	annotations := map[string]string{
		"kubectl.kubernetes.io/last-applied-configuration": `{"spec":{"nodeName":"n"}}`,
		"reconcile.fluxcd.io/requestedAt":                  "1",
		"gitops.io/requestedAt":                            "2",
		"team":                                             "web",
	}
	update(t, s, "/pods/apps/web", func(p *example.Pod) { p.Annotations = annotations })
	l.Repo().Settle()
	file := git(t, dir, "show", "main:apps/pods/web.yaml")
	if !strings.Contains(file, "team: web") || strings.Contains(file, "requestedAt") || strings.Contains(file, "last-applied") {
		t.Errorf("the file should hold the person's annotation and no operational one:\n%s", file)
	}
	if n := git(t, dir, "rev-list", "--count", mainBefore+"..main"); n != "1" {
		t.Errorf("%s commits on main for one write, want 1", n)
	}

	mainBefore = git(t, dir, "rev-parse", "main")
	annotations["reconcile.fluxcd.io/requestedAt"] = "3"
	update(t, s, "/pods/apps/web", func(p *example.Pod) { p.Annotations = annotations })
	l.Repo().Settle()
	if git(t, dir, "rev-parse", "main") != mainBefore {
		t.Error("a new reconcile request made a commit on main")
	}

	// Served back as written, also after a restart.
	l.Close()
	l = openLog(t, dir)
	defer l.Close()
	got := &example.Pod{}
	if err := podStore(t, l).Get(t.Context(), "/pods/apps/web", storage.GetOptions{}, got); err != nil {
		t.Fatal(err)
	}
	for k, v := range annotations {
		if got.Annotations[k] != v {
			t.Errorf("after a restart annotation %s = %q, want %q", k, got.Annotations[k], v)
		}
	}
}
