package sourceref

import (
	"context"
	"slices"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/clientset/versioned/fake"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
)

func kustomization(name string, ref v1alpha1.CrossNamespaceSourceReference) *v1alpha1.Kustomization {
	return &v1alpha1.Kustomization{
		ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: name},
		Spec:       v1alpha1.KustomizationSpec{SourceRef: ref},
	}
}

func kustomizationSourceRef(obj *v1alpha1.Kustomization) Ref {
	ref := obj.Spec.SourceRef
	return Ref{Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name}
}

func TestReferrersAreIndexedByTheResolvedSource(t *testing.T) {
	index := indexBySource(kustomizationSourceRef)
	for _, c := range []struct {
		ref  v1alpha1.CrossNamespaceSourceReference
		want string
	}{
		{v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "podinfo"}, "GitRepository/apps/podinfo"},
		{v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.BucketKind, Namespace: "shared", Name: "b"}, "Bucket/shared/b"},
	} {
		keys, err := index(kustomization("app", c.ref))
		if err != nil || !slices.Equal(keys, []string{c.want}) {
			t.Errorf("%+v: keys %v, %v; want %s", c.ref, keys, err, c.want)
		}
	}
	if keys, _ := index(&v1alpha1.HelmChart{}); keys != nil {
		t.Errorf("another kind was indexed as %v", keys)
	}
}

func TestANewArtifactWakesTheReferrersOfTheSource(t *testing.T) {
	repo := &v1alpha1.GitRepository{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "podinfo"}}
	client := fake.NewClientset(repo,
		kustomization("app", v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "podinfo"}),
		kustomization("other", v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "other"}))
	informers := externalversions.NewSharedInformerFactory(client, 0)
	woken := make(chan string, 10)
	referrers := informers.Gitops().V1alpha1().Kustomizations().Informer()
	err := Wake(informers, referrers, v1alpha1.KustomizationSourceRef, kustomizationSourceRef, func(obj any) {
		woken <- obj.(*v1alpha1.Kustomization).Name
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(t.Context())
	defer informers.Shutdown()
	defer stop() // before Shutdown, which waits for the informers to stop
	informers.Start(ctx.Done())
	informers.WaitForCacheSync(ctx.Done())
	// The source's Add may have come before its referrers were indexed.
	drain(woken, 100*time.Millisecond)

	repo = repo.DeepCopy()
	repo.Status.Artifact = &v1alpha1.Artifact{Revision: "main@sha1:1", Digest: "sha256:1"}
	if _, err := client.GitopsV1alpha1().GitRepositories("apps").UpdateStatus(t.Context(), repo, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	select {
	case name := <-woken:
		if name != "app" {
			t.Errorf("woke %s", name)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a new artifact woke no referrer")
	}
	if names := drain(woken, 100*time.Millisecond); len(names) > 0 {
		t.Errorf("also woke %v", names)
	}
}

// drain returns what arrives on c until nothing has for quiet.
func drain(c <-chan string, quiet time.Duration) []string {
	var names []string
	for {
		select {
		case name := <-c:
			names = append(names, name)
		case <-time.After(quiet):
			return names
		}
	}
}
