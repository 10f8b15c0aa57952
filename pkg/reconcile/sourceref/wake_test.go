package sourceref

import (
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
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

func TestANewArtifactWakesReferrersAndStatusAloneDoesNot(t *testing.T) {
	repo := func(generation int64, a *v1alpha1.Artifact, ready metav1.ConditionStatus) *v1alpha1.GitRepository {
		return &v1alpha1.GitRepository{
			ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "podinfo", Generation: generation},
			Status: v1alpha1.GitRepositoryStatus{Artifact: a,
				Conditions: []metav1.Condition{{Type: v1alpha1.ReadyCondition, Status: ready}}},
		}
	}
	v1 := &v1alpha1.Artifact{Revision: "main@sha1:1", Digest: "sha256:1"}
	for name, c := range map[string]struct {
		before, after *v1alpha1.GitRepository
		want          bool
	}{
		"first artifact":              {repo(1, nil, metav1.ConditionFalse), repo(1, v1, metav1.ConditionTrue), true},
		"new revision":                {repo(1, v1, metav1.ConditionTrue), repo(1, &v1alpha1.Artifact{Revision: "main@sha1:2", Digest: "sha256:2"}, metav1.ConditionTrue), true},
		"same revision, other digest": {repo(1, v1, metav1.ConditionTrue), repo(1, &v1alpha1.Artifact{Revision: v1.Revision, Digest: "sha256:other"}, metav1.ConditionTrue), true},
		"new spec, same artifact":     {repo(1, v1, metav1.ConditionTrue), repo(2, v1, metav1.ConditionTrue), false},
		"new spec, no artifact":       {repo(1, nil, metav1.ConditionTrue), repo(2, nil, metav1.ConditionTrue), true},
		"conditions only":             {repo(1, v1, metav1.ConditionTrue), repo(1, v1, metav1.ConditionFalse), false},
	} {
		if got := changed(c.before, c.after); got != c.want {
			t.Errorf("%s: changed = %v, want %v", name, got, c.want)
		}
	}
}
