package history

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"

	"gitops.io/apiserver/pkg/apis/gitops/install"
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

const appKey = "/kustomizations/ns/app"

// story is a Kustomization created by alice and updated by bob.
type story struct {
	rest             *REST
	created, updated *revlog.Entry
}

func newStory(t *testing.T) story {
	t.Helper()
	l, err := revlog.Open(revlog.Options{Path: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	scheme := runtime.NewScheme()
	install.Install(scheme)
	r := &REST{Resource: v1alpha1.Resource("kustomizations"), Kind: v1alpha1.SchemeGroupVersion.WithKind(v1alpha1.KustomizationKind),
		Log: l, Decoder: serializer.NewCodecFactory(scheme).UniversalDeserializer()}
	s := story{rest: r}
	if s.created, err = l.Create(t.Context(), appKey, kustomization("./v1"), gitrepo.Author{Name: "alice", Email: "alice@users.gitops.io"}); err != nil {
		t.Fatal(err)
	}
	if s.updated, err = l.Update(t.Context(), appKey, kustomization("./v2"), s.created.Revision, gitrepo.Author{Name: "bob", Email: "bob@users.gitops.io"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func kustomization(path string) []byte {
	return []byte(`{"apiVersion":"gitops.io/v1alpha1","kind":"Kustomization","metadata":{"name":"app","namespace":"ns","uid":"u1"},` +
		`"spec":{"interval":"10m","path":"` + path + `","prune":true,"sourceRef":{"kind":"GitRepository","name":"src"}}}`)
}

// get serves GET .../kustomizations/<name>/history?<query>.
func (s story) get(t *testing.T, name, query string) (runtime.Object, error) {
	t.Helper()
	ctx := genericapirequest.WithNamespace(context.Background(), "ns")
	answer := &responder{}
	handler, err := s.rest.Connect(ctx, name, nil, answer)
	if err != nil {
		return nil, err
	}
	handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/history?"+query, nil))
	if answer.err == nil && answer.code != http.StatusOK {
		t.Fatalf("answered %d without an error", answer.code)
	}
	return answer.obj, answer.err
}

type responder struct {
	code int
	obj  runtime.Object
	err  error
}

func (r *responder) Object(code int, obj runtime.Object) { r.code, r.obj = code, obj }
func (r *responder) Error(err error)                     { r.err = err }

func TestHistoryListsCommitsNewestFirstInPages(t *testing.T) {
	s := newStory(t)
	obj, err := s.get(t, "app", "")
	if err != nil {
		t.Fatal(err)
	}
	h := obj.(*v1alpha1.ObjectHistory)
	if len(h.Items) != 2 || h.Continue != "" {
		t.Fatalf("history has %d items and continue %q, want 2 and none: %+v", len(h.Items), h.Continue, h)
	}
	for i, want := range []struct {
		author, email, summary string
		change                 v1alpha1.HistoryChange
		rev                    uint64
	}{
		{"bob", "bob@users.gitops.io", "update kustomizations ns/app", v1alpha1.HistoryChangeUpdated, s.updated.Revision},
		{"alice", "alice@users.gitops.io", "create kustomizations ns/app", v1alpha1.HistoryChangeCreated, s.created.Revision},
	} {
		e := h.Items[i]
		if e.Author.Name != want.author || e.Author.Email != want.email || e.Summary != want.summary || e.Message != want.summary+"\n" ||
			e.Change != want.change || e.ResourceVersion != strconv.FormatUint(want.rev, 10) || len(e.Commit) != 40 || e.Time.IsZero() {
			t.Errorf("item %d = %+v; want %+v", i, e, want)
		}
	}

	first, err := s.get(t, "app", "limit=1")
	if err != nil {
		t.Fatal(err)
	}
	page := first.(*v1alpha1.ObjectHistory)
	if len(page.Items) != 1 || page.Items[0].Commit != h.Items[0].Commit || page.Continue == "" {
		t.Fatalf("limit=1 gave %+v; want the newest commit and a continue token", page)
	}
	second, err := s.get(t, "app", "limit=1&continue="+page.Continue)
	if err != nil {
		t.Fatal(err)
	}
	page = second.(*v1alpha1.ObjectHistory)
	if len(page.Items) != 1 || page.Items[0] != h.Items[1] || page.Continue != "" {
		t.Errorf("the second page is %+v; want the create and no continue", page)
	}
}

func TestHistoryAtCommitOrResourceVersion(t *testing.T) {
	s := newStory(t)
	obj, _ := s.get(t, "app", "")
	create := obj.(*v1alpha1.ObjectHistory).Items[1]

	obj, err := s.get(t, "app", "at="+create.Commit)
	if err != nil {
		t.Fatal(err)
	}
	k := obj.(*v1alpha1.Kustomization)
	if k.Spec.Path != "./v1" || k.Name != "app" || k.UID != "" {
		t.Errorf("at the create's commit: path %q, name %q, uid %q; want the manifest: ./v1, app, no uid", k.Spec.Path, k.Name, k.UID)
	}

	obj, err = s.get(t, "app", "at="+create.ResourceVersion)
	if err != nil {
		t.Fatal(err)
	}
	k = obj.(*v1alpha1.Kustomization)
	if k.Spec.Path != "./v1" || k.UID != "u1" || k.ResourceVersion != create.ResourceVersion {
		t.Errorf("at resourceVersion %s: path %q, uid %q, resourceVersion %q; want the whole object as it was",
			create.ResourceVersion, k.Spec.Path, k.UID, k.ResourceVersion)
	}
}

func TestHistoryRefusalsNameWhatIsWrong(t *testing.T) {
	s := newStory(t)
	unknown := strings.Repeat("0f", 20)
	future := strconv.FormatUint(s.updated.Revision+100, 10)
	for _, c := range []struct {
		name, query string
		is          func(error) bool
		mentions    string
	}{
		{"never", "", apierrors.IsNotFound, `"never"`},
		{"app", "limit=some", apierrors.IsBadRequest, "some"},
		{"app", "continue=bogus", apierrors.IsBadRequest, "bogus"},
		{"app", "continue=" + unknown, apierrors.IsBadRequest, unknown},
		{"app", "at=" + unknown, apierrors.IsNotFound, unknown},
		{"app", "at=yesterday", apierrors.IsBadRequest, "yesterday"},
		{"app", "at=" + future, apierrors.IsBadRequest, future},
		{"app", "at=1&limit=1", apierrors.IsBadRequest, "limit"},
	} {
		_, err := s.get(t, c.name, c.query)
		if !c.is(err) || !strings.Contains(err.Error(), c.mentions) {
			t.Errorf("%s?%s: err %v; want one of its kind naming %s", c.name, c.query, err, c.mentions)
		}
	}
}
