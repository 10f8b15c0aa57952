package e2e

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/metadata"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// client-go's metadata client asks for protobuf first, as the namespace
// controller and the garbage collector do: the server answers in JSON,
// which the types do implement, instead of refusing with 406.
func TestMetadataClientListsObjects(t *testing.T) {
	ns := newNamespace(t)
	kubectlWithInput(t, gitRepositoryOnBranch("listed", "https://example.com/repo.git", "main", "none", "1h"), "apply", "-n", ns, "-f", "-")
	client, err := metadata.NewForConfig(env.cp.Config)
	if err != nil {
		t.Fatal(err)
	}
	list, err := client.Resource(v1alpha1.SchemeGroupVersion.WithResource("gitrepositories")).Namespace(ns).
		List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatalf("listing GitRepositories' metadata: %v", err)
	}
	if len(list.Items) != 1 || list.Items[0].Name != "listed" {
		t.Errorf("metadata list %+v, want GitRepository listed", list.Items)
	}
}
