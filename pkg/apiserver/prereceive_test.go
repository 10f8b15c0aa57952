package apiserver

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func kustomizationManifest(name, prune string) string {
	return "apiVersion: gitops.io/v1alpha1\nkind: Kustomization\nmetadata:\n  name: " + name + "\n  namespace: demo\n" +
		"spec:\n  interval: 10m\n  path: ./deploy\n" + prune + "  sourceRef:\n    kind: GitRepository\n    name: app\n"
}

// The subcommand the hook runs checks with the served kinds' validation and
// explains kinds that do not belong. git runs it in the repository during a
// push; here the pushed commit is on another branch, as if in quarantine.
func TestPreReceiveCommandRefusesWhatTheServerWouldSkip(t *testing.T) {
	bare := filepath.Join(t.TempDir(), "storage.git")
	work := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=p", "GIT_AUTHOR_EMAIL=p@example.com",
			"GIT_COMMITTER_NAME=p", "GIT_COMMITTER_EMAIL=p@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	commit := func(files map[string]string) string {
		for path, content := range files {
			full := filepath.Join(work, filepath.FromSlash(path))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git("add", "-A")
		git("commit", "-q", "-m", "change")
		return git("rev-parse", "HEAD")
	}
	git("init", "-q", "--bare", "--initial-branch=main", bare)
	git("init", "-q", "--initial-branch=main", ".")
	base := commit(map[string]string{"demo/kustomizations/app.yaml": kustomizationManifest("app", "  prune: true\n")})
	good := commit(map[string]string{"demo/kustomizations/more.yaml": kustomizationManifest("more", "  prune: false\n")})
	bad := commit(map[string]string{
		"demo/kustomizations/x.yaml": kustomizationManifest("x", ""),
		"demo/secrets/token.yaml":    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: demo\nstringData:\n  token: s3cr3t-value\n",
		"demo/configmaps/c.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: demo\n",
		"demo/kustomization/w.yaml":  kustomizationManifest("w", "  prune: true\n"),
		"demo/README.md":             "not an object\n",
	})
	git("push", "-q", bare, base+":refs/heads/main", bad+":refs/heads/incoming")
	t.Setenv("GIT_DIR", bare)

	run := func(updates string) (string, error) {
		cmd := newPreReceiveCommand()
		cmd.SetArgs([]string{"--storage-branch=main"})
		cmd.SetIn(strings.NewReader(updates))
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		err := cmd.ExecuteContext(context.Background())
		return out.String(), err
	}

	out, err := run(base + " " + good + " refs/heads/main\n")
	if err != nil || out != "" {
		t.Errorf("a good push is refused: %v\n%s", err, out)
	}

	out, err = run(base + " " + bad + " refs/heads/main\n")
	if err == nil {
		t.Fatalf("a bad push passes:\n%s", out)
	}
	for _, want := range []string{
		"demo/kustomizations/x.yaml: spec.prune: Required value",
		"demo/secrets/token.yaml: a Secret does not belong in the storage repository",
		"kubectl create secret",
		"demo/configmaps/c.yaml: v1 ConfigMap is not served here: the storage repository holds only gitops.io objects",
		"demo/kustomization/w.yaml: a Kustomization belongs in the folder kustomizations, not kustomization",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the hook's output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cr3t-value") || strings.Contains(out, "README") || strings.Count(out, ".yaml: ") != 4 {
		t.Errorf("the hook's output should be the four bad files, one line each, and no file contents:\n%s", out)
	}
}

func TestServerCommandHasThePreReceiveSubcommand(t *testing.T) {
	cmd := NewCommand(context.Background(), NewOptions())
	sub, _, err := cmd.Find([]string{preReceiveCommand})
	if err != nil || sub.Name() != preReceiveCommand {
		t.Fatalf("gitops-apiserver %s is not a command: %v", preReceiveCommand, err)
	}
}
