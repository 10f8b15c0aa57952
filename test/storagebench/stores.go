// Package storagebench measures the Git store against the etcd3 store that
// Kubernetes ships, on the same machine and in the same run, with the same
// example objects the upstream storage tests use.
package storagebench

import (
	"k8s.io/apimachinery/pkg/api/apitesting"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apiserver/pkg/apis/example"
	examplev1 "k8s.io/apiserver/pkg/apis/example/v1"
	"k8s.io/apiserver/pkg/storage"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/apiserver/pkg/storage/storagebackend/factory"

	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

var (
	scheme = runtime.NewScheme()
	codecs = serializer.NewCodecFactory(scheme)
	// Codec is the storage codec of both stores.
	Codec runtime.Codec
)

func init() {
	metav1.AddToGroupVersion(scheme, metav1.SchemeGroupVersion)
	utilruntime.Must(example.AddToScheme(scheme))
	utilruntime.Must(examplev1.AddToScheme(scheme))
	Codec = apitesting.TestCodec(codecs, examplev1.SchemeGroupVersion)
}

var podResource = schema.GroupResource{Resource: "pods"}

func newPod() runtime.Object     { return &example.Pod{} }
func newPodList() runtime.Object { return &example.PodList{} }

// EtcdStore is Kubernetes' own etcd3 storage of example Pods under "/pods/".
func EtcdStore(etcdURL string) (storage.Interface, func(), error) {
	cfg := storagebackend.NewDefaultConfig("/registry", Codec)
	cfg.Type = storagebackend.StorageTypeETCD3
	cfg.Transport.ServerList = []string{etcdURL}
	s, destroy, err := factory.Create(*cfg.ForResource(podResource), newPod, newPodList, "/pods/")
	return s, destroy, err
}

// GitStore is the Git storage of example Pods under "/pods/" in log.
func GitStore(log *revlog.Log) (*gitstore.Store, error) {
	return gitstore.New(log, gitstore.Config{Codec: Codec, NewFunc: newPod, GroupResource: podResource, ResourcePrefix: "/pods/"})
}
