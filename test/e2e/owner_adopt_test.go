package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An object stored before owners were recorded gets the server's identity
// as owner once, with an Event saying so, and keeps working as before.
func TestObjectsStoredWithoutOwnerGetTheServersIdentity(t *testing.T) {
	ns := newNamespace(t)
	applyGitRepository(t, ns, "legacy", "https://git.invalid/legacy.git", "main", "legacy-auth", "10m")
	server := strings.TrimSpace(kubectl(t, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"))

	// The object as a server before owners wrote it: no status.owner.
	env.server.Stop()
	removeStoredOwner(t, ns, "gitrepositories", "legacy")
	useReconcilers(t) // starts the server again, with its reconcilers

	kubectlWait(t, time.Minute, "--for=jsonpath={.status.owner.username}="+server, "gitrepository/legacy", "-n", ns)
	waitForEventOf(t, ns, "GitRepository", "legacy", "OwnerRecorded", `acts as the server's identity "`+server+`"`)
	if !strings.Contains(env.server.LogTail(400), "Recorded the server as owner") {
		t.Error("the server's log does not say it recorded an owner")
	}
}

// removeStoredOwner rewrites the state ref of the stopped server's storage
// repository so that the object's state has no status.owner.
func removeStoredOwner(t *testing.T, ns, resource, name string) {
	t.Helper()
	const stateRef = "refs/gitops/state"
	var path string
	for _, line := range strings.Split(storageGit(t, "ls-tree", "-r", "--name-only", stateRef), "\n") {
		if strings.HasPrefix(line, ns+"/"+resource+"/") && strings.HasSuffix(line, "/"+name+".json") {
			path = line
		}
	}
	if path == "" {
		t.Fatalf("no state file of %s/%s/%s on %s", ns, resource, name, stateRef)
	}
	var file map[string]json.RawMessage
	if err := json.Unmarshal([]byte(storageGit(t, "show", stateRef+":"+path)), &file); err != nil {
		t.Fatal(err)
	}
	var state map[string]map[string]any
	if err := json.Unmarshal(file["state"], &state); err != nil {
		t.Fatal(err)
	}
	if _, ok := state["status"]["owner"]; !ok {
		t.Fatalf("the stored state of %s has no owner to remove: %s", path, file["state"])
	}
	delete(state["status"], "owner")
	var err error
	if file["state"], err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	content, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(t.TempDir(), "index")
	run := func(stdin string, args ...string) string {
		cmd := exec.Command("git", storageGitArgs(args)...)
		cmd.Env = append(os.Environ(), "GIT_INDEX_FILE="+index)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	blob := run(string(content), "hash-object", "-w", "--stdin")
	old := run("", "rev-parse", stateRef)
	run("", "read-tree", stateRef)
	run("", "update-index", "--cacheinfo", "100644,"+blob+","+path)
	tree := run("", "write-tree")
	// The same message: its trailers are the revision and branch head the
	// server reads the state at.
	message := run("", "log", "-1", "--format=%B", old)
	commit := run(message, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit-tree", tree, "-p", old, "-F", "-")
	run("", "update-ref", stateRef, commit, old)
}
