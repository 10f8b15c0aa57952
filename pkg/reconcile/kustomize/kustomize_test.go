package kustomize

import (
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/cli-utils/pkg/object"
	"github.com/fluxcd/pkg/ssa"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func entry(ns, name, group, version, kind string) ssa.ChangeSetEntry {
	return ssa.ChangeSetEntry{
		ObjMetadata:  object.ObjMetadata{Namespace: ns, Name: name, GroupKind: schema.GroupKind{Group: group, Kind: kind}},
		GroupVersion: schema.GroupVersion{Group: group, Version: version}.String(),
	}
}

func TestInventoryEntriesAndStaleObjects(t *testing.T) {
	old := inventoryOf(&ssa.ChangeSet{Entries: []ssa.ChangeSetEntry{
		entry("app", "kept", "", "v1", "ConfigMap"),
		entry("", "app", "", "v1", "Namespace"),
		entry("app", "web", "apps", "v1", "Deployment"),
	}})
	if got := old.Entries[0]; got.ID != "_app__Namespace" || got.Version != "v1" {
		t.Errorf("first entry %+v, want Flux's id _app__Namespace and version v1", got)
	}
	current := inventoryOf(&ssa.ChangeSet{Entries: []ssa.ChangeSetEntry{entry("app", "kept", "", "v1", "ConfigMap")}})
	stale := staleObjects(old, current)
	var names []string
	for _, u := range stale {
		names = append(names, u.GetKind()+"/"+u.GetName()+"@"+u.GetAPIVersion())
	}
	// Namespaces go last, after what lives in them.
	if got := strings.Join(names, ","); got != "Deployment/web@apps/v1,Namespace/app@v1" {
		t.Errorf("stale objects %s", got)
	}
	if len(inventoryObjects(current)) != 1 {
		t.Error("inventoryObjects does not list every entry")
	}
}

func TestHistoryCountsRunsOfTheSameObjectsNewestFirst(t *testing.T) {
	obj := &v1alpha1.Kustomization{}
	obj.Status.LastAttemptedRevision = "main@sha1:1"
	start := time.Now()
	recordHistory(obj, "sha256:a", start, time.Second)
	recordHistory(obj, "sha256:b", start, time.Second)
	recordHistory(obj, "sha256:a", start, time.Second)
	recordHistory(obj, "", start, time.Second) // built nothing: not recorded
	if len(obj.Status.History) != 2 || obj.Status.History[0].Digest != "sha256:a" || obj.Status.History[0].TotalReconciliations != 2 {
		t.Fatalf("history %+v", obj.Status.History)
	}
	for i := range historyLength + 3 {
		recordHistory(obj, "sha256:"+strings.Repeat("x", i+1), start, time.Second)
	}
	if len(obj.Status.History) != historyLength {
		t.Errorf("history keeps %d snapshots, want %d", len(obj.Status.History), historyLength)
	}
}

func kustomization(name string, dependsOn ...string) *v1alpha1.Kustomization {
	k := &v1alpha1.Kustomization{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}}
	for _, d := range dependsOn {
		k.Spec.DependsOn = append(k.Spec.DependsOn, v1alpha1.DependencyReference{Name: d})
	}
	return k
}

func TestSummarizeSetsFluxConditions(t *testing.T) {
	obj := kustomization("app")
	obj.Generation = 3
	obj.Spec.Wait = true
	summarize(obj, outcome.Failed(v1alpha1.HealthCheckFailedReason, "Widget/ns/w not ready").On(v1alpha1.HealthyCondition))
	if conditions.IsReady(obj) || !conditions.Retrying(obj.Status.Conditions, obj.Generation) {
		t.Fatalf("after a failure: ready %v, retrying %v", conditions.IsReady(obj), conditions.Retrying(obj.Status.Conditions, obj.Generation))
	}
	obj.Status.LastAppliedRevision = "main@sha1:abc"
	summarize(obj, nil)
	if !conditions.IsReady(obj) || obj.Status.ObservedGeneration != 3 {
		t.Fatalf("after success: ready %v, observedGeneration %d", conditions.IsReady(obj), obj.Status.ObservedGeneration)
	}
	for _, c := range obj.Status.Conditions {
		if c.Type == v1alpha1.ReconcilingCondition || (c.Type == v1alpha1.HealthyCondition && c.Status != metav1.ConditionTrue) {
			t.Errorf("condition %s=%s left after success", c.Type, c.Status)
		}
	}
}

func TestDeletionPolicy(t *testing.T) {
	prune, keep := true, false
	for _, tc := range []struct {
		policy v1alpha1.KustomizationDeletionPolicy
		prune  *bool
		want   bool
	}{
		{"", &prune, true}, {"", &keep, false}, {v1alpha1.DeletionPolicyMirrorPrune, &keep, false},
		{v1alpha1.DeletionPolicyDelete, &keep, true}, {v1alpha1.DeletionPolicyOrphan, &prune, false},
		{v1alpha1.DeletionPolicyWaitForTermination, &keep, true},
	} {
		obj := kustomization("app")
		obj.Spec.DeletionPolicy, obj.Spec.Prune = tc.policy, tc.prune
		if got := deletesObjects(obj); got != tc.want {
			t.Errorf("deletionPolicy %q prune %v: deletes %v, want %v", tc.policy, *tc.prune, got, tc.want)
		}
	}
}

func TestWithSurvivorsKeepsWhatWasNotDeleted(t *testing.T) {
	old := inventoryOf(&ssa.ChangeSet{Entries: []ssa.ChangeSetEntry{
		entry("app", "kept", "", "v1", "ConfigMap"),
		entry("app", "deleted", "", "v1", "ConfigMap"),
		entry("app", "annotated", "", "v1", "ConfigMap"),
		entry("app", "refused", "apps", "v1", "Deployment"),
	}})
	current := inventoryOf(&ssa.ChangeSet{Entries: []ssa.ChangeSetEntry{entry("app", "kept", "", "v1", "ConfigMap")}})
	deleted, skipped := entry("app", "deleted", "", "v1", "ConfigMap"), entry("app", "annotated", "", "v1", "ConfigMap")
	deleted.Action, skipped.Action = ssa.DeletedAction, ssa.SkippedAction
	got := withSurvivors(current, staleObjects(old, current), &ssa.ChangeSet{Entries: []ssa.ChangeSetEntry{deleted, skipped}})
	var ids []string
	for _, e := range got.Entries {
		ids = append(ids, e.ID+"@"+e.Version)
	}
	if want := "app_kept__ConfigMap@v1,app_refused_apps_Deployment@v1"; strings.Join(ids, ",") != want {
		t.Errorf("inventory after a failed prune %v, want %s", ids, want)
	}
}
