package e2e

import (
	"strings"
	"testing"
)

func TestInvalidObjectRefusedWithFieldNamed(t *testing.T) {
	ns := newNamespace(t)
	gitRepository := func(spec string) string {
		return "apiVersion: gitops.io/v1alpha1\nkind: GitRepository\nmetadata:\n  name: invalid\nspec:\n" + spec
	}
	cases := []struct {
		name, resource, manifest string
		// The error must name the field and say what is wrong with it.
		field, problem string
	}{
		{
			name:     "missing required field",
			resource: "gitrepositories",
			manifest: gitRepository("  interval: 5m\n"),
			field:    "spec.url", problem: "Required value",
		},
		{
			name:     "bad URL",
			resource: "gitrepositories",
			manifest: gitRepository("  interval: 5m\n  url: ftp://example.com/repo.git\n"),
			field:    "spec.url", problem: "ftp://example.com/repo.git",
		},
		{
			name:     "negative interval",
			resource: "gitrepositories",
			manifest: gitRepository("  interval: -5m\n  url: https://example.com/repo.git\n"),
			field:    "spec.interval", problem: "must be greater than zero",
		},
		{
			name:     "interval that is not a duration",
			resource: "gitrepositories",
			manifest: gitRepository("  interval: soon\n  url: https://example.com/repo.git\n"),
			field:    "spec.interval", problem: "soon",
		},
		{
			name:     "misspelt field",
			resource: "gitrepositories",
			manifest: gitRepository("  interval: 5m\n  url: https://example.com/repo.git\n  refx:\n    branch: main\n"),
			field:    "spec.refx", problem: "unknown field",
		},
		{
			name:     "unknown enum value",
			resource: "providers",
			manifest: "apiVersion: gitops.io/v1alpha1\nkind: Provider\nmetadata:\n  name: invalid\nspec:\n  type: carrier-pigeon\n",
			field:    "spec.type", problem: "Unsupported value",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			headBefore := branchHead(t)

			out, err := tryKubectl(t, c.manifest, "apply", "-n", ns, "-f", "-")
			if err == nil {
				t.Fatalf("kubectl apply accepted the object:\n%s", out)
			}
			if !strings.Contains(out, c.field) || !strings.Contains(out, c.problem) {
				t.Errorf("the error does not name %s with %q:\n%s", c.field, c.problem, out)
			}

			if out, err := tryKubectl(t, "", "get", c.resource, "invalid", "-n", ns); err == nil || !strings.Contains(out, "NotFound") {
				t.Errorf("the refused object can be read: err %v\n%s", err, out)
			}
			if head := branchHead(t); head != headBefore {
				t.Errorf("branch %s moved from %s to %s although the write was refused", storageBranch, headBefore, head)
			}
		})
	}
}

// branchHead is the commit the storage branch points at, "" before the first.
func branchHead(t *testing.T) string {
	t.Helper()
	out, err := tryGit(t, "--git-dir", env.storage, "rev-parse", "--verify", "--quiet", "refs/heads/"+storageBranch)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// Server-side apply and strategic-merge patches reach the object by other
// paths than create; a bad value must be refused there with its field too.
func TestInvalidValueRefusedWithFieldNamedByEveryWrite(t *testing.T) {
	ns := newNamespace(t)
	valid := "apiVersion: gitops.io/v1alpha1\nkind: GitRepository\nmetadata:\n  name: repo\nspec:\n  interval: 5m\n  url: https://example.com/repo.git\n"
	kubectlWithInput(t, valid, "apply", "--server-side", "-n", ns, "-f", "-")
	bad := strings.Replace(valid, "interval: 5m", "interval: soon", 1)
	writes := map[string][]string{
		"server-side apply":      {"apply", "--server-side", "-n", ns, "-f", "-"},
		"client-side apply":      {"apply", "-n", ns, "-f", "-"},
		"strategic merge patch":  {"patch", "gitrepository", "repo", "-n", ns, "--type=strategic", "-p", `{"spec":{"interval":"soon"}}`},
		"server-side apply, new": {"apply", "--server-side", "-n", ns, "-f", "-"},
	}
	for name, args := range writes {
		t.Run(name, func(t *testing.T) {
			input := bad
			if name == "server-side apply, new" {
				input = strings.Replace(bad, "name: repo", "name: other", 1)
			}
			out, err := tryKubectl(t, input, args...)
			if err == nil {
				t.Fatalf("%s accepted interval: soon:\n%s", name, out)
			}
			if !strings.Contains(out, "spec.interval") || !strings.Contains(out, "soon") || strings.Contains(out, "InternalError") {
				t.Errorf("%s: the error does not name spec.interval:\n%s", name, out)
			}
		})
	}
	if got := kubectl(t, "get", "gitrepository", "repo", "-n", ns, "-o", "jsonpath={.spec.interval}"); got != "5m" {
		t.Errorf("spec.interval = %q after refused writes, want 5m as written", got)
	}
}

// A duration is kept as written, so two managers applying the same text
// share the field instead of conflicting over "10m" against "10m0s".
func TestManagersApplyingTheSameDurationDoNotConflict(t *testing.T) {
	ns := newNamespace(t)
	manifest := "apiVersion: gitops.io/v1alpha1\nkind: GitRepository\nmetadata:\n  name: repo\nspec:\n  interval: 10m\n  url: https://example.com/repo.git\n"
	kubectlWithInput(t, manifest, "apply", "--server-side", "--field-manager=first", "-n", ns, "-f", "-")
	if out, err := tryKubectl(t, manifest, "apply", "--server-side", "--field-manager=second", "-n", ns, "-f", "-"); err != nil {
		t.Fatalf("a second manager applying the same interval conflicted:\n%s", out)
	}
}
