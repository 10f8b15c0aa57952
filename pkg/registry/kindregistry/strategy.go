package kindregistry

import (
	"context"
	"encoding/json"
	"reflect"

	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apiserver/pkg/storage/names"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
)

// NeverObserved is the observedGeneration of a new object's status, as in
// Flux: kstatus reads it as "not reconciled yet" rather than as current.
const NeverObserved = -1

// Strategy is the create, update and delete strategy of a kind's main
// resource. Writes to it never change the status; the generation counts
// spec changes.
type Strategy[T Object, Spec, Status any] struct {
	runtime.ObjectTyper
	names.NameGenerator

	definition Definition[T, Spec, Status]
}

// NewStrategy returns the strategy of the main resource of a kind.
func NewStrategy[T Object, Spec, Status any](typer runtime.ObjectTyper, definition Definition[T, Spec, Status]) Strategy[T, Spec, Status] {
	return Strategy[T, Spec, Status]{ObjectTyper: typer, NameGenerator: names.SimpleNameGenerator, definition: definition}
}

// NamespaceScoped is true: every gitops.io kind is namespaced.
func (Strategy[T, Spec, Status]) NamespaceScoped() bool { return true }

// PrepareForCreate drops any status the client sent, records the writer as
// the owner and starts the generation at 1. The server's own client may
// name another owner: a reconciler writing an object for one it reconciles
// (a HelmRelease's HelmChart) gives it that one's owner.
func (s Strategy[T, Spec, Status]) PrepareForCreate(ctx context.Context, obj runtime.Object) {
	object := obj.(T)
	owner := requestOwner(ctx)
	if sent := *object.ReconcileStatus().Owner; sent != nil && mayAdoptOwner(ctx, nil) {
		owner = sent
	}
	resetStatus(s.definition.Status(object))
	*object.ReconcileStatus().Owner = owner
	object.SetGeneration(1)
}

// PrepareForUpdate keeps the stored status and bumps the generation when,
// and only when, the spec changed. A write that sets, changes or removes
// spec.serviceAccountName makes its writer the owner; any other keeps the
// owner, so an administrator's edit lends the object no rights.
func (s Strategy[T, Spec, Status]) PrepareForUpdate(ctx context.Context, obj, old runtime.Object) {
	newObj, oldObj := obj.(T), old.(T)
	*s.definition.Status(newObj) = *s.definition.Status(oldObj)
	if v1alpha1.ServiceAccountNameOf(newObj) != v1alpha1.ServiceAccountNameOf(oldObj) {
		*newObj.ReconcileStatus().Owner = requestOwner(ctx)
	}

	generation := oldObj.GetGeneration()
	if generation == 0 || !sameSpec(s.definition.Spec(newObj), s.definition.Spec(oldObj)) {
		generation++
	}
	newObj.SetGeneration(generation)
}

// specPath is where every kind keeps its spec.
var specPath = field.NewPath("spec")

// Validate checks a new object: its metadata, then its spec.
func (s Strategy[T, Spec, Status]) Validate(_ context.Context, obj runtime.Object) field.ErrorList {
	object := obj.(T)
	return append(validation.ValidateObjectMeta(object), s.definition.ValidateSpec(*s.definition.Spec(object), specPath)...)
}

// ValidateUpdate checks the spec of an updated object; the generic registry
// has checked its metadata against the old object.
func (s Strategy[T, Spec, Status]) ValidateUpdate(_ context.Context, obj, _ runtime.Object) field.ErrorList {
	return s.definition.ValidateSpec(*s.definition.Spec(obj.(T)), specPath)
}

// WarningsOnCreate returns the kind's warnings about a new object.
func (s Strategy[T, Spec, Status]) WarningsOnCreate(_ context.Context, obj runtime.Object) []string {
	return s.warnings(obj.(T))
}

// WarningsOnUpdate returns the kind's warnings about an updated object.
func (s Strategy[T, Spec, Status]) WarningsOnUpdate(_ context.Context, obj, _ runtime.Object) []string {
	return s.warnings(obj.(T))
}

func (s Strategy[T, Spec, Status]) warnings(obj T) []string {
	if s.definition.Warnings == nil {
		return nil
	}
	return s.definition.Warnings(obj)
}

// AllowCreateOnUpdate is false: objects are created with POST (kubectl
// apply does so), as for custom resources.
func (Strategy[T, Spec, Status]) AllowCreateOnUpdate(context.Context) bool { return false }

// AllowUnconditionalUpdate is false: an update must name the resourceVersion
// it read, so concurrent writers cannot overwrite each other unseen.
func (Strategy[T, Spec, Status]) AllowUnconditionalUpdate(context.Context) bool { return false }

// Canonicalize leaves objects as they are.
func (Strategy[T, Spec, Status]) Canonicalize(runtime.Object) {}

// GetResetFields tells server-side apply that writes to the main resource
// do not own status.
func (Strategy[T, Spec, Status]) GetResetFields() map[fieldpath.APIVersion]*fieldpath.Set {
	return map[fieldpath.APIVersion]*fieldpath.Set{
		fieldpath.APIVersion(v1alpha1.SchemeGroupVersion.String()): fieldpath.NewSet(
			fieldpath.MakePathOrDie("status"),
		),
	}
}

// StatusStrategy is the update strategy of a kind's status subresource:
// only the status changes, as for custom resources.
type StatusStrategy[T Object, Spec, Status any] struct {
	Strategy[T, Spec, Status]
}

// NewStatusStrategy returns the strategy of the status subresource of a kind.
func NewStatusStrategy[T Object, Spec, Status any](typer runtime.ObjectTyper, definition Definition[T, Spec, Status]) StatusStrategy[T, Spec, Status] {
	return StatusStrategy[T, Spec, Status]{Strategy: NewStrategy(typer, definition)}
}

// PrepareForUpdate takes spec, labels, annotations, finalizers, owner
// references and status.owner from the stored object, so a status write
// cannot change them; the server's own client may record an owner of an
// object that has none. The generic registry keeps the rest of the
// metadata; managedFields stay as sent, since they record this very write.
func (s StatusStrategy[T, Spec, Status]) PrepareForUpdate(ctx context.Context, obj, old runtime.Object) {
	newObj, oldObj := obj.(T), old.(T)
	if oldOwner := *oldObj.ReconcileStatus().Owner; !mayAdoptOwner(ctx, oldOwner) {
		*newObj.ReconcileStatus().Owner = oldOwner
	}
	*s.definition.Spec(newObj) = *s.definition.Spec(oldObj)
	newObj.SetLabels(oldObj.GetLabels())
	newObj.SetAnnotations(oldObj.GetAnnotations())
	newObj.SetFinalizers(oldObj.GetFinalizers())
	newObj.SetOwnerReferences(oldObj.GetOwnerReferences())
}

// ValidateUpdate checks the conditions; the spec is the stored one.
func (s StatusStrategy[T, Spec, Status]) ValidateUpdate(_ context.Context, obj, _ runtime.Object) field.ErrorList {
	return validation.ValidateConditions(obj.(T).GetConditions(), field.NewPath("status", "conditions"))
}

// WarningsOnUpdate returns no warnings: the spec did not change.
func (StatusStrategy[T, Spec, Status]) WarningsOnUpdate(context.Context, runtime.Object, runtime.Object) []string {
	return nil
}

// GetResetFields tells server-side apply that status writes own neither
// the spec nor the metadata PrepareForUpdate restores.
func (StatusStrategy[T, Spec, Status]) GetResetFields() map[fieldpath.APIVersion]*fieldpath.Set {
	return map[fieldpath.APIVersion]*fieldpath.Set{
		fieldpath.APIVersion(v1alpha1.SchemeGroupVersion.String()): fieldpath.NewSet(
			fieldpath.MakePathOrDie("spec"),
			fieldpath.MakePathOrDie("metadata", "labels"),
			fieldpath.MakePathOrDie("metadata", "annotations"),
			fieldpath.MakePathOrDie("metadata", "finalizers"),
			fieldpath.MakePathOrDie("metadata", "ownerReferences"),
		),
	}
}

// resetStatus empties a status and marks it as never observed. Every
// gitops.io status has an ObservedGeneration field; reflection reaches it
// without a setter on each of the thirteen status types.
func resetStatus[Status any](status *Status) {
	var empty Status
	*status = empty
	if observed := reflect.ValueOf(status).Elem().FieldByName("ObservedGeneration"); observed.IsValid() && observed.CanSet() {
		observed.SetInt(NeverObserved)
	}
}

// sameSpec compares specs by their JSON encoding: that is what clients and
// the storage see, and it ignores formatting differences in embedded raw
// JSON such as Helm values.
func sameSpec[Spec any](a, b *Spec) bool {
	encodedA, errA := json.Marshal(a)
	encodedB, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return apiequality.Semantic.DeepEqual(a, b)
	}
	return string(encodedA) == string(encodedB)
}
