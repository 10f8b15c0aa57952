package build

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// objectError is a post-build step failing on the index-th object that
// kustomize built.
type objectError struct {
	index int
	err   error
}

func (e *objectError) Error() string { return e.err.Error() }
func (e *objectError) Unwrap() error { return e.err }

// originOf returns the file, relative to root, that the index-th object of
// dir's build came from, or "" when it cannot tell. It builds again with
// kustomize's origin annotations: only on failure, so that a successful
// build's objects never carry annotations nobody asked for.
func originOf(root, dir, file string, index int) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	kus := kustypes.Kustomization{}
	if err := yaml.Unmarshal(data, &kus); err != nil {
		return ""
	}
	origins := string(v1alpha1.BuildMetadataOriginAnnotations)
	if !slices.Contains(kus.BuildMetadata, origins) {
		kus.BuildMetadata = append(kus.BuildMetadata, origins)
		out, err := yaml.Marshal(kus)
		if err != nil || os.WriteFile(file, out, 0o644) != nil {
			return ""
		}
	}
	resources, err := runKustomize(root, dir)
	if err != nil || index >= resources.Size() {
		return ""
	}
	origin, err := resources.Resources()[index].GetOrigin()
	if err != nil || origin == nil {
		return ""
	}
	path := origin.Path
	if path == "" {
		path = origin.ConfiguredIn // a generated object: the file of its generator
	}
	if path == "" || origin.Repo != "" {
		return ""
	}
	return filepath.ToSlash(relative(root, filepath.Join(dir, path)))
}

// withOrigin prefixes an objectError with the file its object came from.
func withOrigin(root, dir, file string, err error) error {
	oe, ok := err.(*objectError)
	if !ok {
		return err
	}
	if origin := originOf(root, dir, file, oe.index); origin != "" {
		return fmt.Errorf("%s: %w", origin, oe.err)
	}
	return oe.err
}
