package kindregistry_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

var gitRepositoryTable = kindregistry.NewTableConvertor(kindregistry.Resource[*v1alpha1.GitRepository]{
	Plural: "gitrepositories", Singular: "gitrepository",
	Columns: []kindregistry.Column[*v1alpha1.GitRepository]{
		{Name: "URL", Type: "string", Value: func(o *v1alpha1.GitRepository) any { return o.Spec.URL }},
		{Name: "Revision", Type: "string", Priority: 1,
			Value: func(o *v1alpha1.GitRepository) any { return kindregistry.ArtifactRevision(o.Status.Artifact) }},
	},
})

func headers(table *metav1.Table) []string {
	names := make([]string, len(table.ColumnDefinitions))
	for i, column := range table.ColumnDefinitions {
		names[i] = column.Name
	}
	return names
}

func TestTableShowsKindColumnsThenAgeReadyStatusAndOwner(t *testing.T) {
	obj := gitRepository()
	obj.CreationTimestamp = metav1.NewTime(time.Now().Add(-90 * time.Minute))
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "master@sha1:1234"}
	obj.Status.Owner = &v1alpha1.Owner{Username: "alice", Groups: []string{"system:authenticated"}}

	table, err := gitRepositoryTable.ConvertToTable(context.Background(), obj, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Name", "URL", "Revision", "Age", "Ready", "Status", "Owner"}; !reflect.DeepEqual(headers(table), want) {
		t.Errorf("columns %v, want %v", headers(table), want)
	}
	if table.ColumnDefinitions[2].Priority != 1 {
		t.Errorf("Revision has priority %d, want 1 (only with -o wide)", table.ColumnDefinitions[2].Priority)
	}
	if table.ColumnDefinitions[6].Priority != 1 {
		t.Errorf("Owner has priority %d, want 1 (only with -o wide)", table.ColumnDefinitions[6].Priority)
	}
	want := []any{"podinfo", "https://github.com/stefanprodan/podinfo", "master@sha1:1234", "90m", "True",
		"stored artifact for revision 'main@sha1:1234'", "alice"}
	if got := table.Rows[0].Cells; !reflect.DeepEqual(got, want) {
		t.Errorf("cells %#v, want %#v", got, want)
	}
	if table.Rows[0].Object.Object != obj {
		t.Error("row does not carry the object, so -o wide and custom columns cannot use it")
	}
}

func TestTableShowsNoneBeforeTheFirstReconciliation(t *testing.T) {
	obj := gitRepository()
	obj.Status = v1alpha1.GitRepositoryStatus{}
	table, err := gitRepositoryTable.ConvertToTable(context.Background(), obj, nil)
	if err != nil {
		t.Fatal(err)
	}
	cells := table.Rows[0].Cells
	if cells[2] != nil || cells[4] != nil || cells[5] != nil || cells[6] != nil {
		t.Errorf("revision, ready, status and owner cells = %#v; want nil (printed <none>)", cells[2:])
	}
}

func TestTableOfAListKeepsItsPaging(t *testing.T) {
	first, second := gitRepository(), gitRepository()
	second.Name = "flux-system"
	remaining := int64(7)
	list := &v1alpha1.GitRepositoryList{
		ListMeta: metav1.ListMeta{ResourceVersion: "42", Continue: "token", RemainingItemCount: &remaining},
		Items:    []v1alpha1.GitRepository{*first, *second},
	}
	table, err := gitRepositoryTable.ConvertToTable(context.Background(), list, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(table.Rows) != 2 || table.Rows[1].Cells[0] != "flux-system" {
		t.Errorf("rows %v, want podinfo and flux-system", table.Rows)
	}
	if table.ResourceVersion != "42" || table.Continue != "token" || table.RemainingItemCount == nil || *table.RemainingItemCount != 7 {
		t.Errorf("list metadata lost: rv %q continue %q remaining %v", table.ResourceVersion, table.Continue, table.RemainingItemCount)
	}
}

func TestTableWithoutHeaders(t *testing.T) {
	table, err := gitRepositoryTable.ConvertToTable(context.Background(), gitRepository(), &metav1.TableOptions{NoHeaders: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(table.ColumnDefinitions) != 0 || len(table.Rows) != 1 {
		t.Errorf("got %d column definitions and %d rows; want none and one", len(table.ColumnDefinitions), len(table.Rows))
	}
}

func TestTableRefusesObjectsOfAnotherKind(t *testing.T) {
	var other runtime.Object = &v1alpha1.Kustomization{}
	if _, err := gitRepositoryTable.ConvertToTable(context.Background(), other, nil); err == nil {
		t.Error("printed a Kustomization as a GitRepository")
	}
}
