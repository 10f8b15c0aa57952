package build

import (
	"fmt"
	"sync"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomizeMutex serialises builds: kustomize keeps global state that
// concurrent builds race on (kubernetes-sigs/kustomize#3659).
var kustomizeMutex sync.Mutex

// runKustomize builds dir with kustomize on a file system confined to root.
// Files may be loaded from anywhere inside root, as in Flux; remote
// resources were refused before.
func runKustomize(root, dir string) (resmap.ResMap, error) {
	return Kustomize(newRootedFS(root), dir)
}

// Kustomize builds the kustomization in dir of fsys, one build at a time,
// with plugins, exec functions and Helm off; it is also how HelmReleases'
// post-renderers run kustomize (over an in-memory file system). Files may
// be loaded from outside dir, as far as fsys lets them.
func Kustomize(fsys filesys.FileSystem, dir string) (resources resmap.ResMap, err error) {
	kustomizeMutex.Lock()
	defer kustomizeMutex.Unlock()
	// Kustomize panics on some malformed input; a bad repository must not
	// take the server down.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kustomize build panicked: %v", r)
		}
	}()
	options := krusty.MakeDefaultOptions()
	options.LoadRestrictions = kustypes.LoadRestrictionsNone
	options.PluginConfig = kustypes.DisabledPluginConfig()
	return krusty.MakeKustomizer(options).Run(fsys, dir)
}
