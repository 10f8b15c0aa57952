package apiserver

import (
	"k8s.io/apimachinery/pkg/runtime"
)

// withoutProtobuf offers the group's objects in every media type of the
// codec factory but protobuf, which the gitops.io types do not implement,
// as the API server does for custom resources. Offered, protobuf was
// chosen for clients that accept it first (client-go's metadata client,
// used by the namespace controller and the garbage collector) and then
// failed with 406, so a namespace holding gitops.io objects never finished
// terminating. Such clients get JSON instead.
type withoutProtobuf struct {
	runtime.NegotiatedSerializer
}

func (s withoutProtobuf) SupportedMediaTypes() []runtime.SerializerInfo {
	var infos []runtime.SerializerInfo
	for _, info := range s.NegotiatedSerializer.SupportedMediaTypes() {
		if info.MediaType != runtime.ContentTypeProtobuf {
			infos = append(infos, info)
		}
	}
	return infos
}
