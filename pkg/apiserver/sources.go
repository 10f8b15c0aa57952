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

	for _, source := range artifactSources {
		objects, ok := resources[source.resource].(rest.Getter)
		if !ok {
			return fmt.Errorf("%s storage cannot get objects", source.resource)
		}
		resources[source.resource+"/artifact"] = &registryartifact.REST{
			Resource:   v1alpha1.Resource(source.resource),
			Kind:       source.kind,
			Objects:    objects,
			NewObject:  source.newObject,
			ArtifactOf: source.artifactOf,
			Storage:    storage,
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
		})
		return nil
	})
}

// artifactSource is a kind whose objects have an artifact.
type artifactSource struct {
	resource, kind string
	newObject      func() runtime.Object
	artifactOf     func(runtime.Object) *v1alpha1.Artifact
}

// artifactSources are the kinds with an artifact subresource.
var artifactSources = []artifactSource{
	{"gitrepositories", v1alpha1.GitRepositoryKind,
		func() runtime.Object { return &v1alpha1.GitRepository{} },
		func(obj runtime.Object) *v1alpha1.Artifact { return obj.(*v1alpha1.GitRepository).Status.Artifact }},
	{"ocirepositories", v1alpha1.OCIRepositoryKind,
		func() runtime.Object { return &v1alpha1.OCIRepository{} },
		func(obj runtime.Object) *v1alpha1.Artifact { return obj.(*v1alpha1.OCIRepository).Status.Artifact }},
	{"helmrepositories", v1alpha1.HelmRepositoryKind,
		func() runtime.Object { return &v1alpha1.HelmRepository{} },
		func(obj runtime.Object) *v1alpha1.Artifact { return obj.(*v1alpha1.HelmRepository).Status.Artifact }},
	{"helmcharts", v1alpha1.HelmChartKind,
		func() runtime.Object { return &v1alpha1.HelmChart{} },
		func(obj runtime.Object) *v1alpha1.Artifact { return obj.(*v1alpha1.HelmChart).Status.Artifact }},
	{"buckets", v1alpha1.BucketKind,
		func() runtime.Object { return &v1alpha1.Bucket{} },
		func(obj runtime.Object) *v1alpha1.Artifact { return obj.(*v1alpha1.Bucket).Status.Artifact }},
}
