package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"
)

// refuseRemote walks the kustomization in dir and every local base and
// component it names, and returns an error naming the first remote resource
// (a URL, git@host:repo or github.com/org/repo). Kustomize would otherwise
// fetch it over the network with git or HTTP; builds here only ever read the
// source artifact.
func refuseRemote(root, dir string, visited map[string]bool) error {
	if visited[dir] {
		return nil
	}
	visited[dir] = true
	file := kustomizationFile(dir)
	if file == "" {
		return nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	kus := kustypes.Kustomization{}
	if err := yaml.Unmarshal(data, &kus); err != nil {
		return fmt.Errorf("%s: %w", relative(root, file), err)
	}
	for _, entry := range references(&kus) {
		if isRemote(entry) {
			return fmt.Errorf("%s: remote resource %q is not allowed, only files in the source artifact are built",
				relative(root, file), entry)
		}
		sub, err := filepath.EvalSymlinks(filepath.Join(dir, entry))
		if err != nil || !within(root, sub) {
			continue // kustomize reports missing or outside paths itself
		}
		if err := refuseRemote(root, sub, visited); err != nil {
			return err
		}
	}
	return nil
}

// references lists every path a kustomization file names: resources,
// bases, components, generators and transformers (which may be directories)
// and the files of patches, CRDs, configurations and generator sources.
func references(kus *kustypes.Kustomization) []string {
	var refs []string
	// The deprecated fields are read too: kustomize still honours them.
	//lint:ignore SA1019 kustomize still reads bases
	for _, list := range [][]string{kus.Resources, kus.Bases, kus.Components, kus.Generators,
		kus.Transformers, kus.Validators, kus.Crds, kus.Configurations} {
		refs = append(refs, list...)
	}
	//lint:ignore SA1019 kustomize still reads patchesJson6902
	for _, p := range append(append([]kustypes.Patch{}, kus.Patches...), kus.PatchesJson6902...) {
		refs = append(refs, p.Path)
	}
	//lint:ignore SA1019 kustomize still reads patchesStrategicMerge
	for _, p := range kus.PatchesStrategicMerge {
		refs = append(refs, string(p))
	}
	generators := append(append([]kustypes.GeneratorArgs{}, configMapArgs(kus)...), secretArgs(kus)...)
	for _, g := range generators {
		for _, source := range g.FileSources {
			_, path, found := strings.Cut(source, "=")
			if !found {
				path = source
			}
			refs = append(refs, path)
		}
		refs = append(refs, g.EnvSources...)
	}
	return refs
}

func configMapArgs(kus *kustypes.Kustomization) []kustypes.GeneratorArgs {
	var args []kustypes.GeneratorArgs
	for _, g := range kus.ConfigMapGenerator {
		args = append(args, g.GeneratorArgs)
	}
	return args
}

func secretArgs(kus *kustypes.Kustomization) []kustypes.GeneratorArgs {
	var args []kustypes.GeneratorArgs
	for _, g := range kus.SecretGenerator {
		args = append(args, g.GeneratorArgs)
	}
	return args
}

// isRemote recognises what kustomize would fetch instead of reading from
// disk: anything with a URL scheme, the git:: prefix, SCP-style
// user@host:path and the schemeless github.com form.
func isRemote(entry string) bool {
	lower := strings.ToLower(entry)
	if strings.Contains(lower, "://") || strings.HasPrefix(lower, "git::") ||
		strings.HasPrefix(lower, "github.com/") || strings.HasPrefix(lower, "github.com:") {
		return true
	}
	at, colon, slash := strings.Index(entry, "@"), strings.Index(entry, ":"), strings.Index(entry, "/")
	return at > 0 && colon > at && (slash < 0 || colon < slash)
}

func relative(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil {
		return rel
	}
	return filepath.Base(path)
}
