package helmrelease

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/postrenderer"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/kustomize/build"
)

// postRenderers is Helm's post-renderer of a HelmRelease: its steps run
// in order, each on what the one before returned.
type postRenderers []namedPostRenderer

// namedPostRenderer is a step of postRenderers, named as its errors are.
type namedPostRenderer struct {
	name string
	postrenderer.PostRenderer
}

// postRenderersOf chains the HelmRelease's post-rendering as Flux does:
// spec.postRenderers in order, then spec.commonMetadata, then the origin
// labels, which no post-renderer can take away.
func postRenderersOf(obj *v1alpha1.HelmRelease) postRenderers {
	var chain postRenderers
	for i, r := range obj.Spec.PostRenderers {
		if r.Kustomize != nil {
			chain = append(chain, namedPostRenderer{fmt.Sprintf("spec.postRenderers[%d].kustomize", i), kustomizePostRenderer{r.Kustomize}})
		}
	}
	if common := obj.Spec.CommonMetadata; common != nil && len(common.Labels)+len(common.Annotations) > 0 {
		chain = append(chain, namedPostRenderer{"spec.commonMetadata", commonMetadata{common}})
	}
	return append(chain, namedPostRenderer{"origin labels", originLabelsOf(obj)})
}

// Run runs the steps on rendered; an error names the step that failed.
func (p postRenderers) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	for _, step := range p {
		out, err := step.Run(rendered)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", step.name, err)
		}
		rendered = out
	}
	return rendered, nil
}

// postRenderStrategy is spec.postRenderStrategy as Helm 4 spells it: hooks
// post-rendered with the other templates (combined, the default),
// apart from them (separate), or not at all (nohooks, as Helm 3).
func postRenderStrategy(obj *v1alpha1.HelmRelease) action.PostRenderStrategy {
	switch obj.Spec.PostRenderStrategy {
	case v1alpha1.PostRenderStrategyNoHooks:
		return action.PostRenderStrategyNoHooks
	case v1alpha1.PostRenderStrategySeparate:
		return action.PostRenderStrategySeparate
	}
	return action.PostRenderStrategyCombined
}

// commonMetadata adds spec.commonMetadata to the metadata of every
// rendered object, as a Kustomization adds its own.
type commonMetadata struct {
	common *v1alpha1.CommonMetadata
}

func (c commonMetadata) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	return eachObject(rendered, func(u *unstructured.Unstructured) {
		build.SetCommonMetadata(u, c.common)
	})
}

// originLabels labels every rendered object with the HelmRelease it comes
// from, as Flux does, so that `kubectl get -l
// helm.toolkit.fluxcd.io/name=...` finds a release's objects.
type originLabels struct {
	name, namespace string
}

func originLabelsOf(obj *v1alpha1.HelmRelease) originLabels {
	return originLabels{name: obj.Name, namespace: obj.Namespace}
}

func (o originLabels) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	return eachObject(rendered, func(u *unstructured.Unstructured) {
		labels := u.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		labels[nameLabel], labels[namespaceLabel] = o.name, o.namespace
		u.SetLabels(labels)
	})
}

// eachObject changes each YAML document of rendered with change; empty
// documents are dropped.
func eachObject(rendered *bytes.Buffer, change func(*unstructured.Unstructured)) (*bytes.Buffer, error) {
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
		change(&u)
		data, err := yaml.Marshal(u.Object)
		if err != nil {
			return nil, fmt.Errorf("post-rendering %s %s: %w", u.GetKind(), u.GetName(), err)
		}
		out.WriteString("---\n")
		out.Write(data)
	}
}
