package build

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Input is what one build needs.
type Input struct {
	// Root is the extracted source artifact (a directory). Build writes the
	// kustomization file of spec.path into it, so it must be fresh per build.
	Root string
	// Kustomization supplies spec.path, targetNamespace, namePrefix,
	// nameSuffix, commonMetadata, patches, images, components,
	// ignoreMissingComponents, buildMetadata, postBuild and decryption.
	Kustomization *v1alpha1.Kustomization
	// ConfigMaps reads postBuild.substituteFrom ConfigMaps; may be nil when
	// none are referenced.
	ConfigMaps corev1client.ConfigMapsGetter
	// Secrets reads substituteFrom Secrets and decryption.secretRef.
	Secrets corev1client.SecretsGetter
}

// Build returns the objects to apply, in kustomize's order.
func Build(ctx context.Context, in Input) ([]*unstructured.Unstructured, error) {
	if in.Kustomization == nil {
		return nil, errors.New("no Kustomization to build")
	}
	root, err := realRoot(in.Root)
	if err != nil {
		return nil, err
	}
	spec := &in.Kustomization.Spec
	dir, err := resolveDir(root, spec.Path)
	if err != nil {
		return nil, err
	}
	file, err := prepareKustomization(root, dir, spec)
	if err != nil {
		return nil, relativeError(root, err)
	}
	resources, err := runKustomize(root, dir)
	if err != nil {
		return nil, relativeError(root, fmt.Errorf("%s: %w", relative(root, file), err))
	}
	objects, err := finish(ctx, in, resources.Resources())
	if err != nil {
		return nil, withOrigin(root, dir, file, err)
	}
	return objects, nil
}

// realRoot returns Root as an absolute path with symlinks resolved, the form
// every containment check compares against.
func realRoot(root string) (string, error) {
	if root == "" {
		return "", errors.New("no source artifact directory to build")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// prepareKustomization generates dir's kustomization file when it has none,
// writes the spec's overlays into it and refuses remote resources. It
// returns the file.
func prepareKustomization(root, dir string, spec *v1alpha1.KustomizationSpec) (string, error) {
	file := kustomizationFile(dir)
	if file == "" {
		generated, err := generateKustomization(dir)
		if err != nil {
			return "", fmt.Errorf("generating a kustomization.yaml: %w", err)
		}
		file = generated
	}
	if err := writeOverlays(file, dir, spec); err != nil {
		return "", err
	}
	return file, refuseRemote(root, dir, map[string]bool{})
}
