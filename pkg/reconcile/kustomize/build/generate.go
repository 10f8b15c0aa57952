package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/konfig"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"
)

// kustomizationFile returns the path of dir's kustomization file, or ""
// when it has none.
func kustomizationFile(dir string) string {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		path := filepath.Join(dir, name)
		if info, err := os.Stat(path); err == nil && !info.IsDir() {
			return path
		}
	}
	return ""
}

// generateKustomization writes a kustomization.yaml into dir listing, as Flux
// does, every Kubernetes manifest below it: YAML files holding at least one
// object with apiVersion and kind, and sub-directories that have their own
// kustomization file (which are not descended into). Hidden directories
// (.git, .github) are skipped, and so are YAML files that are not
// Kubernetes manifests.
func generateKustomization(dir string) (string, error) {
	var resources []string
	err := filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		if entry.IsDir() && strings.HasPrefix(entry.Name(), ".") {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(dir, path)
		if entry.IsDir() {
			if kustomizationFile(path) != "" {
				resources = append(resources, rel)
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" || !entry.Type().IsRegular() {
			return nil
		}
		manifest, err := isManifest(path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if manifest {
			resources = append(resources, rel)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	kus := kustypes.Kustomization{
		TypeMeta:  kustypes.TypeMeta{APIVersion: kustypes.KustomizationVersion, Kind: kustypes.KustomizationKind},
		Resources: resources,
	}
	data, err := yaml.Marshal(kus)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, konfig.DefaultKustomizationFileName())
	return path, os.WriteFile(path, data, 0o644)
}

// isManifest reports whether the YAML file holds at least one document with
// apiVersion and kind; a file that is not valid YAML is an error.
func isManifest(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		var doc any
		err := decoder.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("not valid YAML: %w", err)
		}
		if object, ok := doc.(map[string]any); ok && object["apiVersion"] != nil && object["kind"] != nil {
			return true, nil
		}
	}
}
