package kindregistry_test

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"gitops.io/apiserver/pkg/apis/gitops/install"
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// The strategies are exercised with GitRepository and HelmRelease; every
// kind uses the same code through its Definition.

func newScheme() *runtime.Scheme {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	return scheme
}

var gitRepositoryDefinition = kindregistry.Definition[*v1alpha1.GitRepository, v1alpha1.GitRepositorySpec, v1alpha1.GitRepositoryStatus]{
	Spec:         func(o *v1alpha1.GitRepository) *v1alpha1.GitRepositorySpec { return &o.Spec },
	Status:       func(o *v1alpha1.GitRepository) *v1alpha1.GitRepositoryStatus { return &o.Status },
	ValidateSpec: validation.ValidateGitRepositorySpec,
}

var helmReleaseDefinition = kindregistry.Definition[*v1alpha1.HelmRelease, v1alpha1.HelmReleaseSpec, v1alpha1.HelmReleaseStatus]{
	Spec:         func(o *v1alpha1.HelmRelease) *v1alpha1.HelmReleaseSpec { return &o.Spec },
	Status:       func(o *v1alpha1.HelmRelease) *v1alpha1.HelmReleaseStatus { return &o.Status },
	ValidateSpec: validation.ValidateHelmReleaseSpec,
	Warnings:     validation.HelmReleaseWarnings,
}

func gitRepository() *v1alpha1.GitRepository {
	return &v1alpha1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Name: "podinfo", Namespace: "flux-system", Generation: 3},
		Spec: v1alpha1.GitRepositorySpec{
			URL:      "https://github.com/stefanprodan/podinfo",
			Interval: v1alpha1.Duration{Duration: 5 * time.Minute},
		},
		Status: v1alpha1.GitRepositoryStatus{
			ObservedGeneration: 3,
			Conditions:         []metav1.Condition{readyCondition("stored artifact for revision 'main@sha1:1234'")},
		},
	}
}

func readyCondition(message string) metav1.Condition {
	return metav1.Condition{
		Type: v1alpha1.ReadyCondition, Status: metav1.ConditionTrue, Reason: v1alpha1.SucceededReason,
		Message: message, LastTransitionTime: metav1.Now(),
	}
}

func TestCreateStartsAtGenerationOneWithAnUnobservedStatus(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	obj := gitRepository()
	strategy.PrepareForCreate(context.Background(), obj)

	if obj.Generation != 1 {
		t.Errorf("generation = %d, want 1", obj.Generation)
	}
	if obj.Status.ObservedGeneration != -1 {
		t.Errorf("status.observedGeneration = %d, want -1 as Flux sets it", obj.Status.ObservedGeneration)
	}
	if len(obj.Status.Conditions) != 0 {
		t.Errorf("status sent with a create was kept: %v", obj.Status.Conditions)
	}
}

func TestUpdateBumpsGenerationWhenSpecChanges(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	oldObj, newObj := gitRepository(), gitRepository()
	newObj.Spec.Reference = &v1alpha1.GitRepositoryRef{Branch: "main"}
	strategy.PrepareForUpdate(context.Background(), newObj, oldObj)
	if newObj.Generation != 4 {
		t.Errorf("generation = %d, want 4 after a spec change from 3", newObj.Generation)
	}
}

func TestUpdateKeepsGenerationWhenOnlyMetadataChanges(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	oldObj, newObj := gitRepository(), gitRepository()
	newObj.Labels = map[string]string{"team": "apps"}
	newObj.Annotations = map[string]string{v1alpha1.ReconcileRequestAnnotation: "2026-01-01T00:00:00Z"}
	strategy.PrepareForUpdate(context.Background(), newObj, oldObj)
	if newObj.Generation != 3 {
		t.Errorf("generation = %d, want it to stay 3", newObj.Generation)
	}
}

func TestUpdateCannotSetGenerationItself(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	oldObj, newObj := gitRepository(), gitRepository()
	newObj.Generation = 42
	strategy.PrepareForUpdate(context.Background(), newObj, oldObj)
	if newObj.Generation != 3 {
		t.Errorf("generation = %d, want the stored 3", newObj.Generation)
	}
}

func TestReformattedHelmValuesAreNotASpecChange(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), helmReleaseDefinition)
	release := func(values string) *v1alpha1.HelmRelease {
		return &v1alpha1.HelmRelease{
			ObjectMeta: metav1.ObjectMeta{Name: "podinfo", Namespace: "apps", Generation: 2},
			Spec:       v1alpha1.HelmReleaseSpec{Values: &runtime.RawExtension{Raw: []byte(values)}},
		}
	}
	oldObj, newObj := release(`{"replicaCount":2}`), release("{\n  \"replicaCount\": 2\n}")
	strategy.PrepareForUpdate(context.Background(), newObj, oldObj)
	if newObj.Generation != 2 {
		t.Errorf("generation = %d, want 2: only the formatting of the values changed", newObj.Generation)
	}

	changed := release(`{"replicaCount":3}`)
	strategy.PrepareForUpdate(context.Background(), changed, oldObj)
	if changed.Generation != 3 {
		t.Errorf("generation = %d, want 3 after a change of values", changed.Generation)
	}
}

func TestUpdateIgnoresStatus(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	oldObj, newObj := gitRepository(), gitRepository()
	newObj.Status = v1alpha1.GitRepositoryStatus{ObservedGeneration: 99, Artifact: &v1alpha1.Artifact{Revision: "forged"}}
	strategy.PrepareForUpdate(context.Background(), newObj, oldObj)
	if newObj.Status.ObservedGeneration != 3 || newObj.Status.Artifact != nil || len(newObj.Status.Conditions) != 1 {
		t.Errorf("status written through the main resource: %+v", newObj.Status)
	}
}

func TestStatusUpdateIgnoresSpecAndMetadata(t *testing.T) {
	strategy := kindregistry.NewStatusStrategy(newScheme(), gitRepositoryDefinition)
	oldObj, newObj := gitRepository(), gitRepository()
	newObj.Spec.URL = "https://example.com/forged.git"
	newObj.Labels = map[string]string{"forged": "true"}
	newObj.Finalizers = []string{"example.com/forged"}
	newObj.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "source-reconciler", Subresource: "status"}}
	newObj.Status.Artifact = &v1alpha1.Artifact{Revision: "main@sha1:5678"}

	strategy.PrepareForUpdate(context.Background(), newObj, oldObj)

	if newObj.Spec.URL != oldObj.Spec.URL {
		t.Errorf("spec.url changed through status to %q", newObj.Spec.URL)
	}
	if len(newObj.Labels) != 0 || len(newObj.Finalizers) != 0 {
		t.Errorf("metadata changed through status: labels %v, finalizers %v", newObj.Labels, newObj.Finalizers)
	}
	if newObj.Status.Artifact == nil || newObj.Status.Artifact.Revision != "main@sha1:5678" {
		t.Errorf("status not written: %+v", newObj.Status)
	}
	if len(newObj.ManagedFields) != 1 {
		t.Errorf("managedFields of the status write dropped: %v", newObj.ManagedFields)
	}
	if newObj.Generation != 3 {
		t.Errorf("generation = %d, want 3: a status write is no spec change", newObj.Generation)
	}
}

func TestStatusUpdateRejectsConditionWithoutReason(t *testing.T) {
	strategy := kindregistry.NewStatusStrategy(newScheme(), gitRepositoryDefinition)
	oldObj, newObj := gitRepository(), gitRepository()
	newObj.Status.Conditions[0].Reason = ""
	errs := strategy.ValidateUpdate(context.Background(), newObj, oldObj)
	expectFieldError(t, errs, "status.conditions[0].reason")
}

func TestValidationErrorsCarryFieldPaths(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	obj := gitRepository()
	obj.Spec.URL = "ftp://example.com/repo.git"
	obj.Spec.Interval = v1alpha1.Duration{}
	errs := strategy.Validate(context.Background(), obj)
	expectFieldError(t, errs, "spec.url")
	expectFieldError(t, errs, "spec.interval")

	oldObj := gitRepository()
	expectFieldError(t, strategy.ValidateUpdate(context.Background(), obj, oldObj), "spec.url")
}

func TestUpdateLeavesMetadataToTheRegistry(t *testing.T) {
	// The generic registry validates metadata on update; repeating it here
	// would report every metadata error twice.
	strategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	oldObj, newObj := gitRepository(), gitRepository()
	newObj.Labels = map[string]string{"bad label": "x"}
	if errs := strategy.ValidateUpdate(context.Background(), newObj, oldObj); len(errs) != 0 {
		t.Errorf("want no errors, got %v", errs)
	}
}

func TestWarningsComeFromTheKind(t *testing.T) {
	strategy := kindregistry.NewStrategy(newScheme(), helmReleaseDefinition)
	release := &v1alpha1.HelmRelease{Spec: v1alpha1.HelmReleaseSpec{Install: &v1alpha1.Install{SkipCRDs: true}}}
	if warnings := strategy.WarningsOnCreate(context.Background(), release); len(warnings) != 1 {
		t.Errorf("WarningsOnCreate = %v, want the skipCRDs deprecation", warnings)
	}
	gitStrategy := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition)
	if warnings := gitStrategy.WarningsOnUpdate(context.Background(), gitRepository(), gitRepository()); warnings != nil {
		t.Errorf("a kind without warnings warned: %v", warnings)
	}
}

func TestServerSideApplyDoesNotOwnTheOtherHalf(t *testing.T) {
	version := fieldpath.APIVersion("gitops.io/v1alpha1")
	main := kindregistry.NewStrategy(newScheme(), gitRepositoryDefinition).GetResetFields()[version]
	status := kindregistry.NewStatusStrategy(newScheme(), gitRepositoryDefinition).GetResetFields()[version]
	if main == nil || !main.Has(fieldpath.MakePathOrDie("status")) {
		t.Errorf("main resource reset fields %v, want status", main)
	}
	if status == nil || !status.Has(fieldpath.MakePathOrDie("spec")) {
		t.Errorf("status subresource reset fields %v, want spec", status)
	}
}

func expectFieldError(t *testing.T, errs field.ErrorList, path string) {
	t.Helper()
	for _, err := range errs {
		if err.Field == path {
			return
		}
	}
	t.Errorf("want an error at %s, got %v", path, errs)
}

var kustomizationDefinition = kindregistry.Definition[*v1alpha1.Kustomization, v1alpha1.KustomizationSpec, v1alpha1.KustomizationStatus]{
	Spec:         func(o *v1alpha1.Kustomization) *v1alpha1.KustomizationSpec { return &o.Spec },
	Status:       func(o *v1alpha1.Kustomization) *v1alpha1.KustomizationStatus { return &o.Status },
	ValidateSpec: validation.ValidateKustomizationSpec,
}

func kustomizationWith(serviceAccountName string) *v1alpha1.Kustomization {
	return &v1alpha1.Kustomization{
		ObjectMeta: metav1.ObjectMeta{Name: "apps", Namespace: "team-a", Generation: 1},
		Spec:       v1alpha1.KustomizationSpec{ServiceAccountName: serviceAccountName},
	}
}
