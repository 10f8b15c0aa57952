package build

import (
	"fmt"
	"os"
	"path/filepath"

	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/resid"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// writeOverlays extends the kustomization file with what the Kustomization's
// spec adds, as Flux does: targetNamespace, namePrefix and nameSuffix replace
// the file's own, patches and components are appended, and images replace
// the file's entry for the same image name or are appended.
func writeOverlays(file, dir string, spec *v1alpha1.KustomizationSpec) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	kus := kustypes.Kustomization{}
	if err := yaml.Unmarshal(data, &kus); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if spec.TargetNamespace != "" {
		kus.Namespace = spec.TargetNamespace
	}
	if spec.NamePrefix != "" {
		kus.NamePrefix = spec.NamePrefix
	}
	if spec.NameSuffix != "" {
		kus.NameSuffix = spec.NameSuffix
	}
	for _, p := range spec.Patches {
		kus.Patches = append(kus.Patches, KustomizePatch(p))
	}
	for _, image := range spec.Images {
		kus.Images = setImage(kus.Images, KustomizeImage(image))
	}
	for _, component := range spec.Components {
		if spec.IgnoreMissingComponents && !exists(filepath.Join(dir, component)) {
			continue
		}
		kus.Components = append(kus.Components, component)
	}
	for _, option := range spec.BuildMetadata {
		kus.BuildMetadata = append(kus.BuildMetadata, string(option))
	}
	if kus.CheckEmpty() != nil {
		// Kustomize refuses an empty kustomization; a directory without
		// manifests builds to nothing in Flux, so give it a harmless field.
		kus.BuildMetadata = []string{string(v1alpha1.BuildMetadataOriginAnnotations)}
	}
	out, err := yaml.Marshal(kus)
	if err != nil {
		return err
	}
	return os.WriteFile(file, out, 0o644)
}

// KustomizePatch is p as a kustomization's patches entry: a strategic
// merge or JSON 6902 patch, with the objects it applies to.
func KustomizePatch(p v1alpha1.Patch) kustypes.Patch {
	return kustypes.Patch{Patch: p.Patch, Target: selector(p.Target)}
}

// KustomizeImage is image as a kustomization's images entry.
func KustomizeImage(image v1alpha1.Image) kustypes.Image {
	return kustypes.Image{Name: image.Name, NewName: image.NewName, NewTag: image.NewTag, Digest: image.Digest}
}

func selector(target *v1alpha1.Selector) *kustypes.Selector {
	if target == nil {
		return nil
	}
	return &kustypes.Selector{
		ResId: resid.ResId{
			Gvk:       resid.Gvk{Group: target.Group, Version: target.Version, Kind: target.Kind},
			Name:      target.Name,
			Namespace: target.Namespace,
		},
		AnnotationSelector: target.AnnotationSelector,
		LabelSelector:      target.LabelSelector,
	}
}

func setImage(images []kustypes.Image, image kustypes.Image) []kustypes.Image {
	for i := range images {
		if images[i].Name == image.Name {
			images[i] = image
			return images
		}
	}
	return append(images, image)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
