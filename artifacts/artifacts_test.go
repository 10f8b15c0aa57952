// Package artifacts holds the manifests that install gitops-apiserver on a
// cluster; this test builds them as `kubectl apply -k artifacts` would.
package artifacts

import (
	"slices"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func TestKustomizeBuildHasEveryPartOfTheInstall(t *testing.T) {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), ".")
	if err != nil {
		t.Fatalf("kustomize build artifacts: %v", err)
	}
	byKindName := map[string]map[string]any{}
	for _, r := range resources.Resources() {
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		byKindName[r.GetKind()+"/"+r.GetName()] = m
	}
	for _, want := range []string{
		"Namespace/gitops-system",
		"ServiceAccount/gitops-apiserver",
		"Deployment/gitops-apiserver",
		"PersistentVolumeClaim/gitops-storage",
		"Service/gitops-apiserver",
		"APIService/v1alpha1.gitops.io",
		"ClusterRoleBinding/gitops-apiserver:system:auth-delegator",
		"RoleBinding/gitops-apiserver-auth-reader",
		"ClusterRole/gitops-apiserver",
		"ClusterRoleBinding/gitops-apiserver",
		"ClusterRole/gitops-view",
		"ClusterRole/gitops-edit",
		"ClusterRole/gitops-admin",
	} {
		if _, ok := byKindName[want]; !ok {
			t.Errorf("kustomize build has no %s; it has %v", want, keys(byKindName))
		}
	}

	for role, label := range map[string]string{
		"gitops-view":  "rbac.authorization.k8s.io/aggregate-to-view",
		"gitops-edit":  "rbac.authorization.k8s.io/aggregate-to-edit",
		"gitops-admin": "rbac.authorization.k8s.io/aggregate-to-admin",
	} {
		labels, _ := field(byKindName["ClusterRole/"+role], "metadata", "labels").(map[string]any)
		if labels[label] != "true" {
			t.Errorf("ClusterRole %s is not labelled %s: \"true\", so it does not aggregate; labels %v", role, label, labels)
		}
	}

	if ns := field(byKindName["RoleBinding/gitops-apiserver-auth-reader"], "metadata", "namespace"); ns != "kube-system" {
		t.Errorf("the auth-reader RoleBinding is in namespace %v, want kube-system where the role is", ns)
	}
	spec, _ := field(byKindName["APIService/v1alpha1.gitops.io"], "spec").(map[string]any)
	if spec["insecureSkipTLSVerify"] != false || spec["group"] != "gitops.io" || spec["version"] != "v1alpha1" {
		t.Errorf("APIService spec = %v, want group gitops.io, version v1alpha1, TLS verified", spec)
	}
	containers, _ := field(byKindName["Deployment/gitops-apiserver"], "spec", "template", "spec", "containers").([]any)
	if len(containers) != 1 {
		t.Fatalf("Deployment has %d containers, want 1", len(containers))
	}
	container := containers[0].(map[string]any)
	if container["image"] != "gitops-apiserver:dev" {
		t.Errorf("Deployment image = %v, want the placeholder gitops-apiserver:dev", container["image"])
	}
	args, _ := container["args"].([]any)
	if !slices.Contains(args, any("--storage-path=/var/lib/gitops/storage.git")) {
		t.Errorf("Deployment args %v do not put the storage repository on the /var/lib/gitops volume", args)
	}
}

// field walks nested maps; nil when a step is missing.
func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

func keys(m map[string]map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
