package gitstore

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apiserver/pkg/registry/generic"
	"k8s.io/apiserver/pkg/storage"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/apiserver/pkg/storage/storagebackend/factory"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// RESTOptionsGetter gives every resource of the server a Store in one shared
// storage repository; set it as the server config's RESTOptionsGetter in
// place of etcd's.
type RESTOptionsGetter struct {
	Log *revlog.Log
	// Codec encodes objects for storage; it must produce JSON.
	Codec runtime.Codec
}

var _ generic.RESTOptionsGetter = &RESTOptionsGetter{}

// ResourcePrefix is the key prefix of a resource, and so its folder name in
// the repository: "/kustomizations" is stored under <namespace>/kustomizations/.
func ResourcePrefix(resource schema.GroupResource) string {
	return "/" + resource.Resource
}

// GetRESTOptions implements generic.RESTOptionsGetter.
func (g *RESTOptionsGetter) GetRESTOptions(resource schema.GroupResource, _ runtime.Object) (generic.RESTOptions, error) {
	return generic.RESTOptions{
		StorageConfig:           storagebackend.NewDefaultConfig("", g.Codec).ForResource(resource),
		Decorator:               g.decorate,
		ResourcePrefix:          ResourcePrefix(resource),
		DeleteCollectionWorkers: 1,
		CountMetricPollPeriod:   time.Minute,
	}, nil
}

// decorate builds the Store of one resource. The watch cache is not used:
// reads are served from the store's in-memory index already.
func (g *RESTOptionsGetter) decorate(config *storagebackend.ConfigForResource, resourcePrefix string,
	_ func(runtime.Object) (string, error), newFunc, _ func() runtime.Object, _ storage.AttrFunc,
	_ storage.IndexerFuncs, _ *cache.Indexers) (storage.Interface, factory.DestroyFunc, error) {
	s, err := New(g.Log, Config{Codec: config.Codec, NewFunc: newFunc, GroupResource: config.GroupResource, ResourcePrefix: resourcePrefix})
	if err != nil {
		return nil, nil, err
	}
	// The Log is shared and outlives each resource's storage.
	return s, func() {}, nil
}

// PushValidation checks objects that arrive by git push with their own
// resource's validation; give its Validate to revlog.Options.Validate.
type PushValidation struct {
	mu       sync.RWMutex
	byPrefix map[string]func(object []byte) error
}

// Register sets the check for the objects of one resource.
func (v *PushValidation) Register(resource schema.GroupResource, validate func(object []byte) error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.byPrefix == nil {
		v.byPrefix = map[string]func([]byte) error{}
	}
	v.byPrefix[ResourcePrefix(resource)+"/"] = validate
}

// Validate runs the check registered for key's resource. Files of resources
// the server does not serve are refused.
func (v *PushValidation) Validate(key string, object []byte) error {
	v.mu.RLock()
	defer v.mu.RUnlock()
	for prefix, validate := range v.byPrefix {
		if strings.HasPrefix(key, prefix) {
			return validate(object)
		}
	}
	return fmt.Errorf("no resource is served for %s", key)
}
