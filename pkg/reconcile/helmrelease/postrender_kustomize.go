package helmrelease

import (
	"bytes"
	"fmt"

	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/kustomize/build"
)

// kustomizePostRenderer is a kustomize post-renderer: the rendered
// manifests are the one resource of a kustomization, built in memory, that
// applies the post-renderer's patches (strategic merge or JSON 6902, with
// their targets) and images, as Flux's helm-controller does.
type kustomizePostRenderer struct {
	spec *v1alpha1.KustomizePostRenderer
}

func (k kustomizePostRenderer) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	if len(bytes.TrimSpace(rendered.Bytes())) == 0 {
		// Nothing to patch (a chart of hooks only, post-rendered apart):
		// kustomize would refuse patches that match nothing.
		return rendered, nil
	}
	const resource = "helm-output.yaml"
	kus := kustypes.Kustomization{
		TypeMeta:  kustypes.TypeMeta{APIVersion: kustypes.KustomizationVersion, Kind: kustypes.KustomizationKind},
		Resources: []string{resource},
	}
	for _, p := range k.spec.Patches {
		kus.Patches = append(kus.Patches, build.KustomizePatch(p))
	}
	for _, image := range k.spec.Images {
		kus.Images = append(kus.Images, build.KustomizeImage(image))
	}
	file, err := yaml.Marshal(kus)
	if err != nil {
		return nil, err
	}
	fs := filesys.MakeFsInMemory()
	if err := fs.WriteFile(resource, rendered.Bytes()); err != nil {
		return nil, err
	}
	if err := fs.WriteFile("kustomization.yaml", file); err != nil {
		return nil, err
	}
	resources, err := build.Kustomize(fs, ".")
	if err != nil {
		return nil, err
	}
	out, err := resources.AsYaml()
	if err != nil {
		return nil, fmt.Errorf("writing the patched manifests: %w", err)
	}
	return bytes.NewBuffer(out), nil
}
