package apiserver

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/admission/serviceaccount"
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

func TestServiceAccountImpersonationIsAdmittedByDefault(t *testing.T) {
	admission := NewOptions().RecommendedOptions.Admission
	if !slices.Contains(admission.Plugins.Registered(), serviceaccount.PluginName) {
		t.Fatalf("admission plugin %s is not registered: %v", serviceaccount.PluginName, admission.Plugins.Registered())
	}
	if !slices.Contains(admission.RecommendedPluginOrder, serviceaccount.PluginName) || admission.DefaultOffPlugins.Has(serviceaccount.PluginName) {
		t.Errorf("admission plugin %s is not on by default: order %v, off %v",
			serviceaccount.PluginName, admission.RecommendedPluginOrder, admission.DefaultOffPlugins)
	}
}
