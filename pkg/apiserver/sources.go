package apiserver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/rest"
	genericapiserver "k8s.io/apiserver/pkg/server"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	registryartifact "gitops.io/apiserver/pkg/registry/artifact"
)

// keptArtifacts is how many artifacts of one source are kept on disk.
const keptArtifacts = 3

// SourceOptions configure the source reconcilers and their artifacts.
type SourceOptions struct {
	// ArtifactPath is the folder artifacts are kept in; empty means an
	// "artifacts" folder next to the storage repository.
	ArtifactPath string
	// Reconcilers runs the reconcilers; without them the server only serves the API.
	Reconcilers bool
	// LeaderElection runs the reconcilers in one replica at a time.
	LeaderElection          bool
	LeaderElectionNamespace string
	// AllowFileURLs lets GitRepositories read file:// repositories on the
	// server's disk, where the storage repository holds every namespace's
	// objects: for single-tenant servers and tests only.
	AllowFileURLs bool
	// NoCrossNamespaceRefs keeps Kustomizations to sources and dependencies
	// in their own namespace, for multi-tenant servers.
	NoCrossNamespaceRefs bool
	// OverrideManagers are field managers whose changes to the objects
	// Kustomizations and HelmReleases apply are taken back.
	OverrideManagers []string
}

// NewSourceOptions returns the defaults.
func NewSourceOptions() *SourceOptions {
	return &SourceOptions{Reconcilers: true, LeaderElection: true, LeaderElectionNamespace: "gitops-system"}
}

// AddFlags adds the flags of o to fs.
func (o *SourceOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.ArtifactPath, "artifact-path", o.ArtifactPath,
		`Folder for source artifacts (tar.gz); default: "artifacts" next to --storage-path.`)
	fs.BoolVar(&o.Reconcilers, "reconcilers", o.Reconcilers,
		"Run the reconcilers; with false the server only serves the API.")
	fs.BoolVar(&o.LeaderElection, "leader-elect", o.LeaderElection,
		"Run the reconcilers only in the replica holding a Lease in the cluster.")
	fs.StringVar(&o.LeaderElectionNamespace, "leader-election-namespace", o.LeaderElectionNamespace,
		"Namespace of the reconcilers' Lease.")
	fs.BoolVar(&o.AllowFileURLs, "allow-file-urls", o.AllowFileURLs,
		"Let GitRepositories use file:// URLs, which read the server's own disk (the storage repository included).")
	fs.BoolVar(&o.NoCrossNamespaceRefs, "no-cross-namespace-refs", o.NoCrossNamespaceRefs,
		"Refuse Kustomizations whose sourceRef or dependsOn is in another namespace.")
	fs.StringArrayVar(&o.OverrideManagers, "override-manager", o.OverrideManagers,
		"Field manager whose changes to the objects of Kustomizations and HelmReleases are taken back at their next apply or drift correction (repeatable).")
}

// Validate checks o after flags are parsed.
func (o *SourceOptions) Validate() []error {
	if o.Reconcilers && o.LeaderElection && o.LeaderElectionNamespace == "" {
		return []error{errors.New("--leader-election-namespace must not be empty with --leader-elect")}
	}
	return nil
}

// installSources serves the artifact subresources and starts the
// reconcilers once the server serves.
func (c completedConfig) installSources(server *genericapiserver.GenericAPIServer, resources map[string]rest.Storage) error {
	opts := c.ExtraConfig.Sources
	root := opts.ArtifactPath
	if root == "" {
		root = filepath.Join(filepath.Dir(filepath.Clean(c.ExtraConfig.StoragePath)), "artifacts")
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("artifact folder: %w", err)
	}
	storage := &artifact.Storage{Root: root, Keep: keptArtifacts}

	for _, source := range v1alpha1.Kinds {
		if !source.Artifact {
			continue
		}
		objects, ok := resources[source.Resource].(rest.Getter)
		if !ok {
			return fmt.Errorf("%s storage cannot get objects", source.Resource)
		}
		gvk := v1alpha1.SchemeGroupVersion.WithKind(source.Kind)
		resources[source.Resource+"/artifact"] = &registryartifact.REST{
			Resource:  v1alpha1.Resource(source.Resource),
			Kind:      source.Kind,
			Objects:   objects,
			NewObject: func() runtime.Object { obj, _ := Scheme.New(gvk); return obj },
			Storage:   storage,
		}
	}

	if !opts.Reconcilers {
		return nil
	}
	cluster := c.clusterConfig
	return server.AddPostStartHook("start-reconcilers", func(hook genericapiserver.PostStartHookContext) error {
		go reconcile.Run(hook, reconcile.Config{
			Loopback:                hook.LoopbackClientConfig,
			Cluster:                 cluster,
			Artifacts:               storage,
			LeaderElection:          opts.LeaderElection,
			LeaderElectionNamespace: opts.LeaderElectionNamespace,
			AllowFileURLs:           opts.AllowFileURLs,
			NoCrossNamespaceRefs:    opts.NoCrossNamespaceRefs,
			OverrideManagers:        opts.OverrideManagers,
		})
		return nil
	})
}
