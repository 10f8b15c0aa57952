// Package apiserver wires the gitops.io API group to its storage in Git: the
// one place that knows every kind, the storage repository and the generic
// API server together.
package apiserver

import (
	"context"
	"fmt"
	"net/http"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apiserver/pkg/registry/rest"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/server/healthz"
	restclient "k8s.io/client-go/rest"

	"gitops.io/apiserver/pkg/apis/gitops"
	"gitops.io/apiserver/pkg/apis/gitops/install"
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

var (
	// Scheme knows the gitops.io types and the meta types the server needs.
	Scheme = runtime.NewScheme()
	// Codecs encodes and decodes the types of Scheme.
	Codecs = serializer.NewCodecFactory(Scheme)
)

func init() {
	install.Install(Scheme)
	// Options such as ListOptions and WatchEvent are decoded as meta/v1 in
	// every group; the generic server expects them registered under v1.
	metav1.AddToGroupVersion(Scheme, schema.GroupVersion{Version: "v1"})
	unversioned := schema.GroupVersion{Group: "", Version: "v1"}
	Scheme.AddUnversionedTypes(unversioned,
		&metav1.Status{},
		&metav1.APIVersions{},
		&metav1.APIGroupList{},
		&metav1.APIGroup{},
		&metav1.APIResourceList{},
	)
}

// ExtraConfig is what the server needs beyond a generic API server.
type ExtraConfig struct {
	// StoragePath is the bare Git repository objects are stored in; it is
	// created when missing.
	StoragePath string
	// StorageBranch holds the desired state. Default "main".
	StorageBranch string
	// Mirror is the optional remote of the storage branch.
	Mirror MirrorOptions
	// ServerNamespace is the namespace the server runs in, where Events
	// about skipped pushed files that name no object go; empty: logged only.
	ServerNamespace string
	// PushIdentity owns objects taken in from a git push.
	PushIdentity PushIdentityOptions
	// Sources configures the source reconcilers and their artifacts.
	Sources SourceOptions
}

// Config is the configuration of a Server.
type Config struct {
	GenericConfig *genericapiserver.RecommendedConfig
	ExtraConfig   ExtraConfig
}

type completedConfig struct {
	GenericConfig genericapiserver.CompletedConfig
	ExtraConfig   *ExtraConfig
	// clusterConfig reaches the cluster's core API (--kubeconfig or
	// in-cluster); nil when there is none.
	clusterConfig *restclient.Config
}

// CompletedConfig is a Config with defaults filled in; only Complete makes one.
type CompletedConfig struct {
	*completedConfig
}

// Complete fills in defaults. It changes the receiver.
func (cfg *Config) Complete() CompletedConfig {
	if cfg.ExtraConfig.StorageBranch == "" {
		cfg.ExtraConfig.StorageBranch = "main"
	}
	return CompletedConfig{&completedConfig{
		GenericConfig: cfg.GenericConfig.Complete(),
		ExtraConfig:   &cfg.ExtraConfig,
		clusterConfig: cfg.GenericConfig.ClientConfig,
	}}
}

// Server is a gitops.io API server.
type Server struct {
	GenericAPIServer *genericapiserver.GenericAPIServer
	// Log is the revision log over the storage repository.
	Log        *revlog.Log
	rejections *rejectionReporter
}

// New opens the storage repository and installs gitops.io/v1alpha1 on it.
func (c completedConfig) New() (*Server, error) {
	// Files pushed with git are checked like API writes, also those pushed
	// while the server was down, which Open takes in: register before Open.
	codec := Codecs.LegacyCodec(v1alpha1.SchemeGroupVersion)
	// A push to the repository itself is checked before it is taken, by a
	// hook running the same check; commits from the mirror are checked on
	// intake.
	hook, err := preReceiveHook(c.ExtraConfig.StorageBranch)
	if err != nil {
		return nil, err
	}
	pushOwner, err := c.ExtraConfig.PushIdentity.owner()
	if err != nil {
		return nil, err
	}
	// Events about rejected files go to the cluster.
	rejections, err := newRejectionReporter(c.clusterConfig, c.ExtraConfig.ServerNamespace)
	if err != nil {
		return nil, err
	}
	mirror, err := c.ExtraConfig.Mirror.mirror(context.Background(), c.clusterConfig)
	if err != nil {
		rejections.stop()
		return nil, err
	}
	log, err := revlog.Open(revlog.Options{
		Path:           c.ExtraConfig.StoragePath,
		Branch:         c.ExtraConfig.StorageBranch,
		PushOwner:      pushOwner,
		Validate:       pushedObjectCheck(),
		OnRejected:     rejections.report,
		Mirror:         mirror,
		PreReceiveHook: hook,
	})
	if err != nil {
		rejections.stop()
		return nil, fmt.Errorf("opening storage repository %s: %w", c.ExtraConfig.StoragePath, err)
	}
	server, err := c.newWithLog(log, codec)
	if err != nil {
		log.Close()
		rejections.stop()
		return nil, err
	}
	server.rejections = rejections
	return server, nil
}

func (c completedConfig) newWithLog(log *revlog.Log, codec runtime.Codec) (*Server, error) {
	// Every resource is stored in the one repository, as JSON (codec): the
	// store turns it into the clean manifest on the branch.
	c.GenericConfig.RESTOptionsGetter = &gitstore.RESTOptionsGetter{Log: log, Codec: codec}
	// Readiness and health, not liveness: a restart does not bring back a
	// repository whose volume is gone.
	repoCheck := repositoryCheck(log)
	c.GenericConfig.HealthzChecks = append(c.GenericConfig.HealthzChecks, repoCheck)
	c.GenericConfig.ReadyzChecks = append(c.GenericConfig.ReadyzChecks, repoCheck)
	generic, err := c.GenericConfig.New("gitops-apiserver", genericapiserver.NewEmptyDelegate())
	if err != nil {
		return nil, err
	}
	s := &Server{GenericAPIServer: generic, Log: log}

	group := genericapiserver.NewDefaultAPIGroupInfo(gitops.GroupName, Scheme, metav1.ParameterCodec, Codecs)
	group.NegotiatedSerializer = withoutProtobuf{Codecs}
	resources := map[string]rest.Storage{}
	for _, k := range kinds {
		main, status, err := k.newREST(Scheme, c.GenericConfig.RESTOptionsGetter)
		if err != nil {
			return nil, fmt.Errorf("storage of %s: %w", k.resource, err)
		}
		resources[k.resource] = main
		resources[k.resource+"/status"] = status
	}
	installHistory(log, resources)
	if err := c.installSources(generic, resources); err != nil {
		return nil, err
	}
	group.VersionedResourcesStorageMap[v1alpha1.SchemeGroupVersion.Version] = resources
	if err := generic.InstallAPIGroup(&group); err != nil {
		return nil, err
	}
	return s, nil
}

// Run serves until ctx ends, then closes the storage repository.
func (s *Server) Run(ctx context.Context) error {
	err := s.GenericAPIServer.PrepareRun().RunWithContext(ctx)
	// RunWithContext returns once in-flight requests have drained (shutdown
	// hooks run before that), so no request writes any more.
	s.Log.Close()
	s.rejections.stop()
	return err
}

// repositoryCheck is the `gitstore` health check: the storage repository is
// still there and its branch can be read.
func repositoryCheck(log *revlog.Log) healthz.HealthChecker {
	return healthz.NamedCheck("gitstore", func(*http.Request) error {
		repo := log.Repo()
		if _, err := os.Stat(repo.Path()); err != nil {
			return fmt.Errorf("storage repository: %w", err)
		}
		head, err := repo.Ref(log.Branch())
		if err != nil {
			return fmt.Errorf("reading %s: %w", log.Branch(), err)
		}
		if head.IsZero() {
			return nil // nothing stored yet
		}
		if _, err := repo.Commit(head); err != nil {
			return fmt.Errorf("reading %s at %s: %w", log.Branch(), head, err)
		}
		return nil
	})
}
