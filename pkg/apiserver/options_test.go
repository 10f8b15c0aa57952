package apiserver

import (
	"context"
	"strings"
	"testing"
)

func TestFlagsHaveStorageAndNoEtcd(t *testing.T) {
	o := NewOptions()
	cmd := NewCommand(context.Background(), o)
	flags := cmd.Flags()
	for _, name := range []string{"storage-path", "storage-branch", "secure-port", "bind-address", "tls-cert-file",
		"tls-private-key-file", "kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig", "audit-log-path", "feature-gates"} {
		if flags.Lookup(name) == nil {
			t.Errorf("--%s is missing", name)
		}
	}
	if f := flags.Lookup("etcd-servers"); f != nil {
		t.Error("--etcd-servers is offered although objects are stored in Git")
	}

	if err := flags.Parse([]string{"--storage-path=/srv/gitops.git", "--storage-branch=desired"}); err != nil {
		t.Fatal(err)
	}
	if o.StoragePath != "/srv/gitops.git" || o.StorageBranch != "desired" {
		t.Errorf("parsed storage %q on %q", o.StoragePath, o.StorageBranch)
	}
	if err := o.Validate(); err != nil {
		t.Errorf("valid flags refused: %v", err)
	}

	o.StorageBranch = ""
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "--storage-branch") {
		t.Errorf("an empty --storage-branch gives %v, want an error naming it", err)
	}
}
