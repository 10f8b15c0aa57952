package target

import (
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// localMapper maps kinds to resources on the server's own cluster; it
// learns new kinds (from CRDs just applied) when they are first asked for.
type localMapper struct {
	once   sync.Once
	mapper meta.RESTMapper
	err    error
}

func (m *localMapper) get(cfg *rest.Config) (meta.RESTMapper, error) {
	m.once.Do(func() {
		httpClient, err := rest.HTTPClientFor(cfg)
		if err != nil {
			m.err = err
			return
		}
		m.mapper, m.err = apiutil.NewDynamicRESTMapper(cfg, httpClient)
	})
	return m.mapper, m.err
}
