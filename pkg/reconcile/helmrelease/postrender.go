package helmrelease

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// originLabels is Helm's post-renderer that labels every rendered object
// with the HelmRelease it comes from, as Flux does, so that `kubectl get
// -l helm.toolkit.fluxcd.io/name=...` finds a release's objects.
type originLabels struct {
	name, namespace string
}

func originLabelsOf(obj *v1alpha1.HelmRelease) originLabels {
	return originLabels{name: obj.Name, namespace: obj.Namespace}
}

// Run labels each YAML document of rendered; empty documents are dropped.
func (o originLabels) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	decoder := utilyaml.NewYAMLOrJSONDecoder(rendered, 4096)
	out := &bytes.Buffer{}
	for i := 0; ; i++ {
		var object map[string]any
		err := decoder.Decode(&object)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("post-rendering document %d: %w", i, err)
		}
		if len(object) == 0 {
			continue
		}
		u := unstructured.Unstructured{Object: object}
		labels := u.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		labels[nameLabel], labels[namespaceLabel] = o.name, o.namespace
		u.SetLabels(labels)
		data, err := yaml.Marshal(u.Object)
		if err != nil {
			return nil, fmt.Errorf("post-rendering %s %s: %w", u.GetKind(), u.GetName(), err)
		}
		out.WriteString("---\n")
		out.Write(data)
	}
}
