package apiserver

import (
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
	"gitops.io/apiserver/pkg/registry/history"
)

// installHistory serves the history subresource of every kind.
func installHistory(log *revlog.Log, resources map[string]rest.Storage) {
	for _, k := range kinds {
		resources[k.resource+"/history"] = &history.REST{
			Resource: v1alpha1.Resource(k.resource),
			Kind:     v1alpha1.SchemeGroupVersion.WithKind(k.kind),
			Log:      log,
			Decoder:  Codecs.UniversalDeserializer(),
		}
	}
}
