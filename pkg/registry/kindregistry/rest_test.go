package kindregistry_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	metainternalversion "k8s.io/apimachinery/pkg/apis/meta/internalversion"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apiserver/pkg/authentication/user"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/generic"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/alert"
	"gitops.io/apiserver/pkg/registry/bucket"
	"gitops.io/apiserver/pkg/registry/gitrepository"
	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
	"gitops.io/apiserver/pkg/registry/helmchart"
	"gitops.io/apiserver/pkg/registry/helmrelease"
	"gitops.io/apiserver/pkg/registry/helmrepository"
	"gitops.io/apiserver/pkg/registry/imagepolicy"
	"gitops.io/apiserver/pkg/registry/imagerepository"
	"gitops.io/apiserver/pkg/registry/imageupdateautomation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
	"gitops.io/apiserver/pkg/registry/kustomization"
	"gitops.io/apiserver/pkg/registry/ocirepository"
	"gitops.io/apiserver/pkg/registry/provider"
	"gitops.io/apiserver/pkg/registry/receiver"
)

// These tests run the registry over the real storage, a Git repository in a
// temporary directory.

type newRESTFunc func(*runtime.Scheme, generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error)

var kinds = []struct {
	manifest    string
	newREST     newRESTFunc
	newStrategy func(runtime.ObjectTyper) rest.RESTCreateUpdateStrategy
	plural      string
	shortNames  []string
	columns     []string // between Name and Age
	cells       []any    // of those columns, for the manifest before any status
}{
	{"gitrepository.yaml", gitrepository.NewREST, gitrepository.NewStrategy, "gitrepositories", []string{"gitrepo"},
		[]string{"URL", "Revision"}, []any{"https://github.com/stefanprodan/podinfo", nil}},
	{"ocirepository.yaml", ocirepository.NewREST, ocirepository.NewStrategy, "ocirepositories", []string{"ocirepo"},
		[]string{"URL", "Revision"}, []any{"oci://ghcr.io/stefanprodan/manifests/podinfo", nil}},
	{"helmrepository.yaml", helmrepository.NewREST, helmrepository.NewStrategy, "helmrepositories", []string{"helmrepo"},
		[]string{"URL", "Type", "Revision"}, []any{"oci://ghcr.io/stefanprodan/charts", "oci", nil}},
	{"helmchart.yaml", helmchart.NewREST, helmchart.NewStrategy, "helmcharts", []string{"hc"},
		[]string{"Chart", "Version", "Source Kind", "Source Name", "Revision"}, []any{"podinfo", "5.*", "HelmRepository", "podinfo", nil}},
	{"bucket.yaml", bucket.NewREST, bucket.NewStrategy, "buckets", nil,
		[]string{"Endpoint", "Bucket", "Revision"}, []any{"minio.example.com", "example", nil}},
	{"kustomization.yaml", kustomization.NewREST, kustomization.NewStrategy, "kustomizations", []string{"ks"},
		[]string{"Revision", "Source", "Path"}, []any{nil, "GitRepository/podinfo", "./kustomize"}},
	{"helmrelease.yaml", helmrelease.NewREST, helmrelease.NewStrategy, "helmreleases", []string{"hr"},
		[]string{"Chart", "Version", "Revision"}, []any{"podinfo", "6.5.*", nil}},
	{"provider.yaml", provider.NewREST, provider.NewStrategy, "providers", nil,
		[]string{"Type"}, []any{"slack"}},
	{"alert.yaml", alert.NewREST, alert.NewStrategy, "alerts", nil,
		[]string{"Provider", "Severity"}, []any{"slack-bot", "error"}},
	{"receiver.yaml", receiver.NewREST, receiver.NewStrategy, "receivers", nil,
		[]string{"Type", "Webhook Path"}, []any{"github", nil}},
	{"imagerepository.yaml", imagerepository.NewREST, imagerepository.NewStrategy, "imagerepositories", []string{"imgrepo", "imagerepo"},
		[]string{"Image", "Tags", "Last Scan"}, []any{"ghcr.io/stefanprodan/podinfo", nil, nil}},
	{"imagepolicy.yaml", imagepolicy.NewREST, imagepolicy.NewStrategy, "imagepolicies", []string{"imgpol", "imagepol"},
		[]string{"Image", "Tag"}, []any{nil, nil}},
	{"imageupdateautomation.yaml", imageupdateautomation.NewREST, imageupdateautomation.NewStrategy, "imageupdateautomations", []string{"iua", "imgupd", "imgauto"},
		[]string{"Last Run"}, []any{nil}},
}

// fluxAPIVersion matches the apiVersions of Flux's groups.
var fluxAPIVersion = regexp.MustCompile(`[a-z]+\.toolkit\.fluxcd\.io/v[0-9a-z]+`)

func gitStorage(t *testing.T, scheme *runtime.Scheme) generic.RESTOptionsGetter {
	t.Helper()
	log, err := revlog.Open(revlog.Options{Path: filepath.Join(t.TempDir(), "storage.git")})
	if err != nil {
		t.Fatalf("opening the storage repository: %v", err)
	}
	t.Cleanup(log.Close)
	codec := serializer.NewCodecFactory(scheme).LegacyCodec(v1alpha1.SchemeGroupVersion)
	return &gitstore.RESTOptionsGetter{Log: log, Codec: codec}
}

func requestContext(namespace string) context.Context {
	ctx := genericapirequest.WithUser(context.Background(), &user.DefaultInfo{Name: "alice"})
	return genericapirequest.WithNamespace(ctx, namespace)
}

// loadFluxManifest reads a Flux manifest, moves it to gitops.io by changing
// its API groups only, and decodes it strictly: an unknown field fails.
func loadFluxManifest(t *testing.T, scheme *runtime.Scheme, name string) runtime.Object {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "flux", name))
	if err != nil {
		t.Fatal(err)
	}
	moved := fluxAPIVersion.ReplaceAll(data, []byte(v1alpha1.SchemeGroupVersion.String()))
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDecoder(v1alpha1.SchemeGroupVersion)
	obj, _, err := decoder.Decode(moved, nil, nil)
	if err != nil {
		t.Fatalf("decoding %s after changing its apiVersion: %v", name, err)
	}
	return obj
}

func TestEveryFluxManifestIsServedAfterChangingItsAPIGroup(t *testing.T) {
	scheme := newScheme()
	storage := gitStorage(t, scheme)
	for _, kind := range kinds {
		t.Run(kind.plural, func(t *testing.T) {
			store, status, err := kind.newREST(scheme, storage)
			if err != nil {
				t.Fatalf("NewREST: %v", err)
			}
			obj := loadFluxManifest(t, scheme, kind.manifest)
			strategy := kind.newStrategy(scheme)
			if errs := strategy.Validate(context.Background(), obj); len(errs) != 0 {
				t.Errorf("the kind's strategy rejects %s: %v", kind.manifest, errs)
			}
			if errs := strategy.Validate(context.Background(), store.New()); len(errs) == 0 {
				t.Error("the kind's strategy accepts an empty object")
			}
			created, err := store.Create(requestContext("flux-system"), obj, rest.ValidateAllObjectFunc, &metav1.CreateOptions{})
			if err != nil {
				t.Fatalf("creating %s: %v", kind.manifest, err)
			}

			fields, err := runtime.DefaultUnstructuredConverter.ToUnstructured(created)
			if err != nil {
				t.Fatal(err)
			}
			if generation := fields["metadata"].(map[string]any)["generation"]; generation != int64(1) {
				t.Errorf("metadata.generation = %v, want 1", generation)
			}
			if observed := fields["status"].(map[string]any)["observedGeneration"]; observed != int64(-1) {
				t.Errorf("status.observedGeneration = %v, want -1", observed)
			}

			// By convention the singular resource name is the lower-case kind.
			if got, want := store.GetSingularName(), strings.ToLower(reflect.TypeOf(created).Elem().Name()); got != want {
				t.Errorf("singular name %q, want %q", got, want)
			}
			if store.DefaultQualifiedResource.Resource != kind.plural || store.DefaultQualifiedResource.Group != "gitops.io" {
				t.Errorf("resource %v, want %s.gitops.io", store.DefaultQualifiedResource, kind.plural)
			}
			if !reflect.DeepEqual(store.ShortNames(), kind.shortNames) {
				t.Errorf("short names %v, want %v (Flux's)", store.ShortNames(), kind.shortNames)
			}
			if !reflect.DeepEqual(store.Categories(), []string{"gitops"}) {
				t.Errorf("categories %v, want [gitops]", store.Categories())
			}

			table, err := status.ConvertToTable(context.Background(), created, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := append(append([]string{"Name"}, kind.columns...), "Age", "Ready", "Status", "Owner")
			if !reflect.DeepEqual(headers(table), want) {
				t.Errorf("columns %v, want %v", headers(table), want)
			}
			if cells := table.Rows[0].Cells[1 : 1+len(kind.cells)]; !reflect.DeepEqual(cells, kind.cells) {
				t.Errorf("cells %#v, want %#v", cells, kind.cells)
			}
		})
	}
}

func TestWritesOverGitStorageKeepSpecAndStatusApart(t *testing.T) {
	scheme := newScheme()
	store, status, err := gitrepository.NewREST(scheme, gitStorage(t, scheme))
	if err != nil {
		t.Fatal(err)
	}
	ctx := requestContext("flux-system")
	get := func() *v1alpha1.GitRepository {
		t.Helper()
		obj, err := store.Get(ctx, "podinfo", &metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return obj.(*v1alpha1.GitRepository)
	}
	update := func(storage rest.Updater, obj *v1alpha1.GitRepository) {
		t.Helper()
		_, _, err := storage.Update(ctx, obj.Name, rest.DefaultUpdatedObjectInfo(obj),
			rest.ValidateAllObjectFunc, rest.ValidateAllObjectUpdateFunc, false, &metav1.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
	}

	if _, err := store.Create(ctx, loadFluxManifest(t, scheme, "gitrepository.yaml"), rest.ValidateAllObjectFunc, &metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	obj := get()
	obj.Spec.Reference.Branch = "main"
	update(store, obj)
	if obj = get(); obj.Generation != 2 {
		t.Errorf("after a spec change generation = %d, want 2", obj.Generation)
	}

	obj.Labels = map[string]string{"team": "apps"}
	update(store, obj)
	if obj = get(); obj.Generation != 2 || obj.Labels["team"] != "apps" {
		t.Errorf("after a label change generation = %d, labels %v; want 2 and the label", obj.Generation, obj.Labels)
	}

	obj.Spec.URL = "https://example.com/forged.git"
	obj.Status.ObservedGeneration = 2
	obj.Status.Conditions = []metav1.Condition{readyCondition("stored artifact for revision 'main@sha1:1234'")}
	update(status, obj)
	if obj = get(); obj.Spec.URL != "https://github.com/stefanprodan/podinfo" || obj.Status.ObservedGeneration != 2 {
		t.Errorf("after a status write: spec.url %q, status.observedGeneration %d; want the old URL and 2",
			obj.Spec.URL, obj.Status.ObservedGeneration)
	}

	obj.Status.ObservedGeneration = 99
	update(store, obj)
	if obj = get(); obj.Status.ObservedGeneration != 2 {
		t.Errorf("status.observedGeneration = %d after a write to the main resource, want 2", obj.Status.ObservedGeneration)
	}

	table, err := store.ConvertToTable(ctx, obj, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cells := table.Rows[0].Cells; cells[len(cells)-3] != "True" {
		t.Errorf("READY cell %v, want True", cells[len(cells)-3])
	}
}

func TestListsFilterByLabelAndName(t *testing.T) {
	scheme := newScheme()
	store, _, err := gitrepository.NewREST(scheme, gitStorage(t, scheme))
	if err != nil {
		t.Fatal(err)
	}
	ctx := requestContext("flux-system")
	for _, name := range []string{"podinfo", "flux-system"} {
		obj := loadFluxManifest(t, scheme, "gitrepository.yaml").(*v1alpha1.GitRepository)
		obj.Name = name
		obj.Labels = map[string]string{"app": name}
		if _, err := store.Create(ctx, obj, rest.ValidateAllObjectFunc, &metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	list := func(options *metainternalversion.ListOptions) []string {
		t.Helper()
		obj, err := store.List(ctx, options)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, item := range obj.(*v1alpha1.GitRepositoryList).Items {
			names = append(names, item.Name)
		}
		return names
	}
	if got := list(&metainternalversion.ListOptions{LabelSelector: labels.SelectorFromSet(labels.Set{"app": "podinfo"})}); !reflect.DeepEqual(got, []string{"podinfo"}) {
		t.Errorf("label selector app=podinfo listed %v", got)
	}
	if got := list(&metainternalversion.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", "flux-system")}); !reflect.DeepEqual(got, []string{"flux-system"}) {
		t.Errorf("field selector metadata.name=flux-system listed %v", got)
	}
}

func TestImageColumnsShowWhatTheReflectorFound(t *testing.T) {
	scheme := newScheme()
	storage := gitStorage(t, scheme)
	repositories, _, err := imagerepository.NewREST(scheme, storage)
	if err != nil {
		t.Fatal(err)
	}
	policies, _, err := imagepolicy.NewREST(scheme, storage)
	if err != nil {
		t.Fatal(err)
	}
	scanned := metav1.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	repository := &v1alpha1.ImageRepository{Status: v1alpha1.ImageRepositoryStatus{
		LastScanResult: &v1alpha1.ScanResult{TagCount: 42, ScanTime: scanned},
	}}
	policy := &v1alpha1.ImagePolicy{Status: v1alpha1.ImagePolicyStatus{
		LatestRef: &v1alpha1.ImageRef{Name: "ghcr.io/stefanprodan/podinfo", Tag: "6.5.1"},
	}}

	table, err := repositories.ConvertToTable(context.Background(), repository, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cells := table.Rows[0].Cells[2:4]; !reflect.DeepEqual(cells, []any{int64(42), "2026-05-01T12:00:00Z"}) {
		t.Errorf("Tags and Last Scan cells %#v", cells)
	}
	table, err = policies.ConvertToTable(context.Background(), policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cells := table.Rows[0].Cells[1:3]; !reflect.DeepEqual(cells, []any{"ghcr.io/stefanprodan/podinfo", "6.5.1"}) {
		t.Errorf("Image and Tag cells %#v", cells)
	}
}

func TestHelmReleaseWithChartRefShowsTheSource(t *testing.T) {
	scheme := newScheme()
	releases, _, err := helmrelease.NewREST(scheme, gitStorage(t, scheme))
	if err != nil {
		t.Fatal(err)
	}
	release := &v1alpha1.HelmRelease{Spec: v1alpha1.HelmReleaseSpec{
		ChartRef: &v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.OCIRepositoryKind, Name: "podinfo"},
	}}
	table, err := releases.ConvertToTable(context.Background(), release, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cells := table.Rows[0].Cells[1:3]; !reflect.DeepEqual(cells, []any{"OCIRepository/podinfo", nil}) {
		t.Errorf("Chart and Version cells %#v", cells)
	}
}
