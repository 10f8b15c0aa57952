package apiserver

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// pushOwnerOf parses args as the server's flags and returns the owner
// pushed objects get.
func pushOwnerOf(t *testing.T, args ...string) (*Options, v1alpha1.Owner) {
	t.Helper()
	o := NewOptions()
	if err := NewCommand(context.Background(), o).Flags().Parse(args); err != nil {
		t.Fatal(err)
	}
	raw, err := o.PushIdentity.owner()
	if err != nil {
		t.Fatal(err)
	}
	var owner v1alpha1.Owner
	if err := json.Unmarshal(raw, &owner); err != nil {
		t.Fatalf("status.owner %s: %v", raw, err)
	}
	return o, owner
}

func TestPushIdentityFlagsNameTheOwnerOfPushedObjects(t *testing.T) {
	if _, owner := pushOwnerOf(t); !reflect.DeepEqual(owner, v1alpha1.Owner{Username: "gitops:push", Groups: []string{"gitops:pushers"}}) {
		t.Errorf("by default pushed objects are owned by %+v, want gitops:push in gitops:pushers", owner)
	}
	o, owner := pushOwnerOf(t, "--push-identity=ci-bot", "--push-identity-groups=deployers,team-a")
	if !reflect.DeepEqual(owner, v1alpha1.Owner{Username: "ci-bot", Groups: []string{"deployers", "team-a"}}) {
		t.Errorf("with --push-identity=ci-bot pushed objects are owned by %+v", owner)
	}
	if err := o.Validate(); err != nil {
		t.Errorf("valid push identity refused: %v", err)
	}
	if _, owner := pushOwnerOf(t, "--push-identity-groups="); len(owner.Groups) != 0 {
		t.Errorf("--push-identity-groups= gave groups %q, want none", owner.Groups)
	}

	o, _ = pushOwnerOf(t, "--push-identity=")
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "--push-identity") {
		t.Errorf("an empty --push-identity gives %v, want an error naming it", err)
	}
}
