package identity_test

import (
	"reflect"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/identity"
)

var resolver = identity.Resolver{Server: v1alpha1.Owner{Username: "system:serviceaccount:gitops-system:gitops-apiserver"}}

func TestAServiceAccountComesBeforeTheOwner(t *testing.T) {
	alice := &v1alpha1.Owner{Username: "alice", Groups: []string{"team-a"}}
	as := resolver.For("team-a", "deployer", alice)
	if !as.ServiceAccount || as.Name != "system:serviceaccount:team-a:deployer" {
		t.Fatalf("acting as %+v, want the ServiceAccount team-a/deployer", as)
	}
	want := []string{"system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"}
	if !reflect.DeepEqual(as.Groups, want) {
		t.Errorf("groups %v, want the ServiceAccount's %v (for access reviews)", as.Groups, want)
	}
	if got := as.Impersonation().UserName; got != as.Name {
		t.Errorf("impersonating %q, want %q", got, as.Name)
	}
}

func TestWithoutServiceAccountTheOwnerIsImpersonated(t *testing.T) {
	alice := &v1alpha1.Owner{Username: "alice", UID: "a-1", Groups: []string{"team-a"}, Extra: map[string][]string{"k": {"v"}}}
	imp := resolver.For("team-a", "", alice).Impersonation()
	if imp.UserName != "alice" || imp.UID != "a-1" || !reflect.DeepEqual(imp.Groups, alice.Groups) || !reflect.DeepEqual(imp.Extra, alice.Extra) {
		t.Errorf("impersonation %+v, want all of alice's identity", imp)
	}
}

func TestOnlyTheServerOrAnUnownedObjectActsAsTheServer(t *testing.T) {
	for name, owner := range map[string]*v1alpha1.Owner{
		"no owner yet":    nil,
		"the server owns": {Username: resolver.Server.Username},
	} {
		as := resolver.For("team-a", "", owner)
		if !as.Server || as.Impersonation().UserName != "" {
			t.Errorf("%s: acting as %+v, want the server itself without impersonation", name, as)
		}
	}
	if as := resolver.For("team-a", "", &v1alpha1.Owner{Username: "admin"}); as.Server {
		t.Error("an admin's object acts as the server")
	}
}
