package layout

import (
	"encoding/json"
	"testing"
	"time"
)

// ownerOf is status.owner.username of the object a manifest and its state
// are served as, "" when it has no owner.
func ownerOf(t *testing.T, manifest string, state []byte) string {
	t.Helper()
	merged, err := Merge([]byte(manifest), state)
	if err != nil {
		t.Fatal(err)
	}
	var obj struct {
		Status struct {
			Owner *struct {
				Username string   `json:"username"`
				Groups   []string `json:"groups"`
			} `json:"owner"`
		} `json:"status"`
	}
	if err := json.Unmarshal(merged, &obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Owner == nil {
		return ""
	}
	return obj.Status.Owner.Username
}

func withServiceAccount(name string) string {
	m := "apiVersion: v1\nkind: K\nmetadata:\n  name: a\nspec:\n  interval: 1m\n"
	if name != "" {
		m += "  serviceAccountName: " + name + "\n"
	}
	return m
}

var pusher = json.RawMessage(`{"username":"gitops:push","groups":["gitops:pushers"]}`)

func TestPushedObjectIsOwnedByThePushOwner(t *testing.T) {
	state, err := StateForExternal(nil, nil, []byte(withServiceAccount("")), pusher, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := ownerOf(t, withServiceAccount(""), state); got != "gitops:push" {
		t.Errorf("a new pushed object is owned by %q, want gitops:push; state %s", got, state)
	}
	// The hook checks without an owner: none is recorded.
	state, _ = StateForExternal(nil, nil, []byte(withServiceAccount("")), nil, time.Now())
	if got := ownerOf(t, withServiceAccount(""), state); got != "" {
		t.Errorf("without a push owner the object is owned by %q", got)
	}
}

func TestPushKeepsTheOwnerUnlessItChangesTheServiceAccount(t *testing.T) {
	stored := []byte(`{"metadata":{"generation":2,"uid":"u"},"status":{"owner":{"username":"alice"},"observedGeneration":2}}`)
	unowned := []byte(`{"metadata":{"generation":2,"uid":"u"}}`)
	for _, c := range []struct {
		name          string
		before, after string
		state         []byte
		want          string
	}{
		{"another field", withServiceAccount(""), withServiceAccount("") + "  suspend: true\n", stored, "alice"},
		{"another field, service account kept", withServiceAccount("sa"), withServiceAccount("sa") + "  suspend: true\n", stored, "alice"},
		{"labels only", withServiceAccount(""), withServiceAccount("") + "  labels: {a: b}\n", stored, "alice"},
		{"another field of an unowned object", withServiceAccount(""), withServiceAccount("") + "  suspend: true\n", unowned, ""},
		{"service account set", withServiceAccount(""), withServiceAccount("sa"), stored, "gitops:push"},
		{"service account changed", withServiceAccount("sa"), withServiceAccount("other"), stored, "gitops:push"},
		{"service account removed", withServiceAccount("sa"), withServiceAccount(""), stored, "gitops:push"},
		{"service account set on an unowned object", withServiceAccount(""), withServiceAccount("sa"), unowned, "gitops:push"},
	} {
		state, err := StateForExternal([]byte(c.before), c.state, []byte(c.after), pusher, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := ownerOf(t, c.after, state); got != c.want {
			t.Errorf("%s: owner %q, want %q; state %s", c.name, got, c.want, state)
		}
	}
}

func TestStatusOfAPushedFileIsNotServed(t *testing.T) {
	forged := withServiceAccount("") + "status:\n  owner:\n    username: system:admin\n    groups: [system:masters]\n"
	state, err := StateForExternal(nil, nil, []byte(forged), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := ownerOf(t, forged, state); got != "" {
		t.Errorf("a status written in the pushed file is served: owner %q", got)
	}
	// Nor does a status in the file count as a change of the object.
	stored := []byte(`{"metadata":{"generation":2}}`)
	if state, _ := StateForExternal([]byte(withServiceAccount("")), stored, []byte(forged), pusher, time.Now()); string(state) != string(stored) {
		t.Errorf("adding a status to the file changed the state to %s", state)
	}
}
