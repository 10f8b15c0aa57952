package dependency

import (
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func kustomization(name string, dependsOn ...string) *v1alpha1.Kustomization {
	k := &v1alpha1.Kustomization{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}}
	for _, d := range dependsOn {
		k.Spec.DependsOn = append(k.Spec.DependsOn, v1alpha1.DependencyReference{Name: d})
	}
	return k
}

// checkerWith reads objs as the informers' caches would.
func checkerWith(objs ...controller.Reconciled) *Checker {
	return &Checker{Get: func(kind, namespace, name string) (controller.Reconciled, error) {
		for _, o := range objs {
			if o.GetNamespace() == namespace && o.GetName() == name && kindOf(o) == kind {
				return o, nil
			}
		}
		return nil, apierrors.NewNotFound(schema.GroupResource{}, name)
	}}
}

func kindOf(o controller.Reconciled) string {
	switch o.(type) {
	case *v1alpha1.Kustomization:
		return v1alpha1.KustomizationKind
	case *v1alpha1.GitRepository:
		return v1alpha1.GitRepositoryKind
	}
	return ""
}

func check(t *testing.T, c *Checker, obj *v1alpha1.Kustomization) error {
	return c.Check(t.Context(), v1alpha1.KustomizationKind, obj)
}

func TestDependencyCycleIsStalledAndNamed(t *testing.T) {
	a, b, c := kustomization("a", "b"), kustomization("b", "c"), kustomization("c", "a")
	err := check(t, checkerWith(a, b, c), a)
	if !outcome.IsStalled(err) || !strings.Contains(err.Error(), "ns/a -> ns/b -> ns/c -> ns/a") {
		t.Fatalf("Check = %v, want a stalled cycle a -> b -> c -> a", err)
	}
}

func TestDependencyNotReadyWaitsAndReadyExprDecides(t *testing.T) {
	dep := kustomization("dep")
	dep.Generation = 2
	dep.Status.ObservedGeneration = 1 // not yet reconciled at its latest generation
	dep.Labels = map[string]string{"tier": "gold"}
	app := kustomization("app", "dep")
	c := checkerWith(dep, app)
	if err := check(t, c, app); !outcome.IsWaiting(err) {
		t.Fatalf("Check = %v, want waiting for dep", err)
	}
	app.Spec.DependsOn[0].ReadyExpr = "dep.metadata.labels.tier == 'gold' && self.kind == 'Kustomization'"
	if err := check(t, c, app); err != nil {
		t.Fatalf("readyExpr is true, yet Check = %v", err)
	}
	app.Spec.DependsOn[0].ReadyExpr = "dep.metadata.labels.tier =="
	if err := check(t, c, app); !outcome.IsStalled(err) || !strings.Contains(err.Error(), "spec.dependsOn[0].readyExpr") {
		t.Fatalf("an invalid readyExpr gave %v, want a stalled error naming the field", err)
	}
}

func TestNoCrossNamespaceRefsRefusesDependencyInAnotherNamespace(t *testing.T) {
	other := kustomization("other")
	other.Namespace = "elsewhere"
	app := kustomization("app")
	app.Spec.DependsOn = []v1alpha1.DependencyReference{{Name: "other", Namespace: "elsewhere"}}
	c := checkerWith(other, app)
	// Allowed by default: only waiting, since other is not Ready.
	if err := check(t, c, app); !outcome.IsWaiting(err) {
		t.Fatalf("without the flag Check = %v, want waiting for elsewhere/other", err)
	}
	c.NoCrossNamespaceRefs = true
	err := check(t, c, app)
	if !outcome.IsStalled(err) || !strings.Contains(err.Error(), "spec.dependsOn[0]") || !strings.Contains(err.Error(), "cross-namespace references are not allowed") {
		t.Fatalf("with NoCrossNamespaceRefs Check = %v, want a stalled refusal naming spec.dependsOn[0]", err)
	}
	// The Kustomization's own namespace, named or not, is still fine.
	app.Spec.DependsOn = []v1alpha1.DependencyReference{{Name: "dep", Namespace: "ns"}, {Name: "dep"}}
	if err := check(t, c, app); outcome.IsStalled(err) {
		t.Fatalf("a dependency in the same namespace was refused: %v", err)
	}
}

func TestKustomizationWaitsForAGitRepositoryOfTheSameName(t *testing.T) {
	// A Kustomization "app" of the same name exists and is Ready: the
	// kind decides which one is meant.
	sameName := kustomization("app")
	conditions.Summarize(sameName, nil, conditions.Summary{Reason: "Succeeded"})
	repo := &v1alpha1.GitRepository{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app", Generation: 1}}
	deployer := kustomization("deployer")
	deployer.Spec.DependsOn = []v1alpha1.DependencyReference{{Kind: v1alpha1.GitRepositoryKind, Name: "app"}}
	c := checkerWith(sameName, repo, deployer)

	err := check(t, c, deployer)
	if !outcome.IsWaiting(err) || !strings.Contains(err.Error(), "dependency 'GitRepository/ns/app' is not ready") {
		t.Fatalf("Check = %v, want waiting for GitRepository/ns/app", err)
	}
	conditions.Summarize(repo, nil, conditions.Summary{Reason: "Succeeded"})
	if err := check(t, c, deployer); err != nil {
		t.Fatalf("the GitRepository is Ready, yet Check = %v", err)
	}
	repo.Generation = 2 // a new spec not yet reconciled
	if err := check(t, c, deployer); !outcome.IsWaiting(err) {
		t.Fatalf("Check = %v for a GitRepository not Ready at its latest generation, want waiting", err)
	}
}

func TestFluxDependencyWithoutKindIsOfTheReferrersKind(t *testing.T) {
	repo := &v1alpha1.GitRepository{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "infra"}}
	conditions.Summarize(repo, nil, conditions.Summary{Reason: "Succeeded"})
	app := kustomization("app", "infra")
	// Only a Ready GitRepository is called infra: no Kustomization is.
	if err := check(t, checkerWith(repo, app), app); !outcome.IsWaiting(err) || !strings.Contains(err.Error(), "dependency 'ns/infra' not found") {
		t.Fatalf("Check = %v, want waiting for Kustomization ns/infra", err)
	}
}
