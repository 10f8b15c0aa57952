package kindregistry_test

import (
	"context"
	"testing"

	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/endpoints/request"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

var (
	alice = &user.DefaultInfo{Name: "alice", UID: "a-1", Groups: []string{"team-a", user.AllAuthenticated},
		Extra: map[string][]string{"scopes": {"edit"}}}
	admin = &user.DefaultInfo{Name: "admin", Groups: []string{user.SystemPrivilegedGroup, user.AllAuthenticated}}
	// loopback is the server's own client, as the reconcilers write status.
	loopback = &user.DefaultInfo{Name: user.APIServerUser, Groups: []string{user.SystemPrivilegedGroup}}
)

func as(u user.Info) context.Context { return request.WithUser(context.Background(), u) }

func ownerName(o *v1alpha1.Owner) string {
	if o == nil {
		return "<none>"
	}
	return o.Username
}

func TestCreateRecordsTheWriterAsOwner(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	obj := gitRepository()
	obj.Status.Owner = &v1alpha1.Owner{Username: "forged", Groups: []string{user.SystemPrivilegedGroup}}
	strategy.PrepareForCreate(as(alice), obj)

	got := obj.Status.Owner
	if got == nil || got.Username != "alice" || got.UID != "a-1" || len(got.Groups) != 2 || got.Extra["scopes"][0] != "edit" {
		t.Errorf("owner %+v, want alice with her uid, groups and extra", got)
	}
}

func TestOnlyTheServerMayCreateForAnotherOwner(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	forAlice := gitRepository()
	forAlice.Status.Owner = kindregistry.OwnerOf(alice)
	strategy.PrepareForCreate(as(loopback), forAlice)
	if ownerName(forAlice.Status.Owner) != "alice" {
		t.Errorf("the server's create for alice is owned by %s", ownerName(forAlice.Status.Owner))
	}
	forged := gitRepository()
	forged.Status.Owner = kindregistry.OwnerOf(admin)
	strategy.PrepareForCreate(as(alice), forged)
	if ownerName(forged.Status.Owner) != "alice" {
		t.Errorf("alice's create naming admin as owner is owned by %s, want alice", ownerName(forged.Status.Owner))
	}
}

func TestOnlyAServiceAccountChangeMakesTheWriterOwner(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), kustomizationDefinition)
	stored := kustomizationWith("")
	stored.Status.Owner = kindregistry.OwnerOf(alice)

	// An administrator suspending alice's object lends it no rights.
	suspended := kustomizationWith("")
	suspended.Spec.Suspend = true
	strategy.PrepareForUpdate(as(admin), suspended, stored)
	if ownerName(suspended.Status.Owner) != "alice" {
		t.Errorf("owner after an admin's edit = %s, want alice", ownerName(suspended.Status.Owner))
	}

	for name, sa := range map[string]struct{ old, new string }{
		"set": {"", "deployer"}, "changed": {"deployer", "other"}, "removed": {"deployer", ""},
	} {
		old, updated := kustomizationWith(sa.old), kustomizationWith(sa.new)
		old.Status.Owner = kindregistry.OwnerOf(alice)
		strategy.PrepareForUpdate(as(admin), updated, old)
		if ownerName(updated.Status.Owner) != "admin" {
			t.Errorf("serviceAccountName %s: owner = %s, want the writer admin", name, ownerName(updated.Status.Owner))
		}
	}
}

func TestStatusWritesKeepTheOwner(t *testing.T) {
	strategy := kindregistry.NewStatusStrategy(newScheme(), gitRepositoryDefinition)
	stored, written := gitRepository(), gitRepository()
	stored.Status.Owner = kindregistry.OwnerOf(alice)
	written.Status.Owner = kindregistry.OwnerOf(admin)
	strategy.PrepareForUpdate(as(loopback), written, stored)
	if ownerName(written.Status.Owner) != "alice" {
		t.Errorf("owner after a status write = %s, want the stored alice", ownerName(written.Status.Owner))
	}

	// An object stored before owners were recorded gets one from the
	// server, and from no one else.
	unowned, claimed := gitRepository(), gitRepository()
	claimed.Status.Owner = kindregistry.OwnerOf(admin)
	strategy.PrepareForUpdate(as(alice), claimed, unowned)
	if claimed.Status.Owner != nil {
		t.Errorf("alice recorded owner %s through status", ownerName(claimed.Status.Owner))
	}
	claimed.Status.Owner = kindregistry.OwnerOf(admin)
	strategy.PrepareForUpdate(as(loopback), claimed, unowned)
	if ownerName(claimed.Status.Owner) != "admin" {
		t.Errorf("the server could not record an owner of an unowned object: %s", ownerName(claimed.Status.Owner))
	}
}
