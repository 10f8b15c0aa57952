package helmrelease

import (
	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	"k8s.io/kubectl/pkg/validation"
)

// serverValidated is Helm's kubectl factory with the validation that Helm
// gets on every cluster this server supports: the API server validates the
// fields (fieldValidation, GA since Kubernetes 1.27, and server-side apply is
// strict anyway), so kubectl's client-side schema is never consulted there.
// kubectl still asks, for every manifest Helm builds, by fetching and
// parsing the OpenAPI document of the object's group version; for 100
// releases that was 1.4 GB of the reconciler's allocations and most of the
// server's peak memory. Duplicate keys are still refused, as kubectl does.
type serverValidated struct {
	kube.Factory
}

func (serverValidated) Validator(string) (validation.Schema, error) {
	return validation.NoDoubleKeySchema{}, nil
}

// validateOnServer makes helm's client validate as serverValidated says.
func validateOnServer(helm *action.Configuration) {
	if client, ok := helm.KubeClient.(*kube.Client); ok {
		client.Factory = serverValidated{client.Factory}
	}
}
