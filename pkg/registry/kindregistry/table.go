package kindregistry

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/duration"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Column is one kind-specific column of the table kubectl prints.
type Column[T Object] struct {
	// Name is the header, e.g. "URL".
	Name string
	// Type is the OpenAPI type of the cells: "string", "integer", "date", ...
	Type string
	// Priority 0 columns are always shown, higher ones only with -o wide.
	Priority int32
	// Description says what the column shows.
	Description string
	// Value returns the cell of one object; nil prints as <none>.
	Value func(T) any
}

var objectMetaDescriptions = metav1.ObjectMeta{}.SwaggerDoc()

// TableConvertor prints objects as Flux's CRDs do: NAME, the kind's own
// columns, then AGE, READY and STATUS (the Ready condition's status and
// message); OWNER follows with -o wide.
type TableConvertor[T Object] struct {
	resource    schema.GroupResource
	columns     []Column[T]
	definitions []metav1.TableColumnDefinition
}

// NewTableConvertor returns the table convertor of a kind. Its columns end
// with OWNER, shown with -o wide.
func NewTableConvertor[T Object](resource Resource[T]) *TableConvertor[T] {
	definitions := []metav1.TableColumnDefinition{
		{Name: "Name", Type: "string", Format: "name", Description: objectMetaDescriptions["name"]},
	}
	for _, column := range resource.Columns {
		definitions = append(definitions, metav1.TableColumnDefinition{
			Name: column.Name, Type: column.Type, Priority: column.Priority, Description: column.Description,
		})
	}
	definitions = append(definitions,
		metav1.TableColumnDefinition{Name: "Age", Type: "date", Description: objectMetaDescriptions["creationTimestamp"]},
		metav1.TableColumnDefinition{Name: "Ready", Type: "string", Description: "Status of the Ready condition."},
		metav1.TableColumnDefinition{Name: "Status", Type: "string", Description: "Message of the Ready condition."},
		metav1.TableColumnDefinition{Name: "Owner", Type: "string", Priority: 1,
			Description: "User the reconciler acts as when no ServiceAccount is set."},
	)
	return &TableConvertor[T]{
		resource:    v1alpha1.Resource(resource.Plural),
		columns:     resource.Columns,
		definitions: definitions,
	}
}

// ConvertToTable prints one object or a list.
func (c *TableConvertor[T]) ConvertToTable(_ context.Context, object runtime.Object, tableOptions runtime.Object) (*metav1.Table, error) {
	table := &metav1.Table{}
	addRow := func(obj runtime.Object) error {
		typed, ok := obj.(T)
		if !ok {
			return fmt.Errorf("cannot print a %T as %s", obj, c.resource)
		}
		table.Rows = append(table.Rows, metav1.TableRow{Cells: c.cells(typed), Object: runtime.RawExtension{Object: obj}})
		return nil
	}
	if meta.IsListType(object) {
		if err := meta.EachListItem(object, addRow); err != nil {
			return nil, err
		}
	} else if err := addRow(object); err != nil {
		return nil, err
	}

	if list, err := meta.ListAccessor(object); err == nil {
		table.ResourceVersion = list.GetResourceVersion()
		table.Continue = list.GetContinue()
		table.RemainingItemCount = list.GetRemainingItemCount()
	} else if common, err := meta.CommonAccessor(object); err == nil {
		table.ResourceVersion = common.GetResourceVersion()
	}
	if options, ok := tableOptions.(*metav1.TableOptions); !ok || !options.NoHeaders {
		table.ColumnDefinitions = c.definitions
	}
	return table, nil
}

func (c *TableConvertor[T]) cells(obj T) []any {
	cells := make([]any, 0, len(c.definitions))
	cells = append(cells, obj.GetName())
	for _, column := range c.columns {
		cells = append(cells, column.Value(obj))
	}
	var ready, message any
	if condition := meta.FindStatusCondition(obj.GetConditions(), v1alpha1.ReadyCondition); condition != nil {
		ready, message = string(condition.Status), condition.Message
	}
	var owner any
	if o := *obj.ReconcileStatus().Owner; o != nil {
		owner = o.Username
	}
	return append(cells, age(obj.GetCreationTimestamp()), ready, message, owner)
}

// age prints how long ago a time was, as kubectl's AGE column does.
func age(timestamp metav1.Time) string {
	if timestamp.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(time.Since(timestamp.Time))
}

// OrNone turns an empty string into a nil cell, which kubectl prints as <none>.
func OrNone(value string) any {
	if value == "" {
		return nil
	}
	return value
}

// Timestamp is the cell of a point in time, in the RFC 3339 form of the
// object's JSON; a time not set yet (nil or zero) prints as <none>.
func Timestamp(t *metav1.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// ArtifactRevision is the cell of a source's latest artifact revision.
func ArtifactRevision(artifact *v1alpha1.Artifact) any {
	if artifact == nil {
		return nil
	}
	return OrNone(artifact.Revision)
}
