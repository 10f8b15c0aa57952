package gitstore_test

import (
	"context"
	"testing"

	"k8s.io/apimachinery/pkg/api/apitesting"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apiserver/pkg/apis/example"
	examplev1 "k8s.io/apiserver/pkg/apis/example/v1"

	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

var (
	scheme = runtime.NewScheme()
	codecs = serializer.NewCodecFactory(scheme)
)

func init() {
	metav1.AddToGroupVersion(scheme, metav1.SchemeGroupVersion)
	utilruntime.Must(example.AddToScheme(scheme))
	utilruntime.Must(examplev1.AddToScheme(scheme))
}

// openLog opens (or reopens) the storage repository in dir.
func openLog(t testing.TB, dir string, mutate ...func(*revlog.Options)) *revlog.Log {
	t.Helper()
	opts := revlog.Options{Path: dir, PollInterval: 50e6}
	for _, m := range mutate {
		m(&opts)
	}
	l, err := revlog.Open(opts)
	if err != nil {
		t.Fatalf("opening storage repository: %v", err)
	}
	return l
}

// podStore serves example Pods under "/pods/", as upstream's tests expect.
func podStore(t testing.TB, l *revlog.Log) *gitstore.Store {
	t.Helper()
	s, err := gitstore.New(l, gitstore.Config{
		Codec:          apitesting.TestCodec(codecs, examplev1.SchemeGroupVersion),
		NewFunc:        func() runtime.Object { return &example.Pod{} },
		GroupResource:  schema.GroupResource{Resource: "pods"},
		ResourcePrefix: "/pods/",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// setup gives a fresh store in a new repository.
func setup(t testing.TB) (context.Context, *gitstore.Store, *revlog.Log) {
	l := openLog(t, t.TempDir())
	t.Cleanup(l.Close)
	return context.Background(), podStore(t, l), l
}
