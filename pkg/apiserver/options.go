package apiserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apiserver/pkg/endpoints/openapi"
	genericapiserver "k8s.io/apiserver/pkg/server"
	genericoptions "k8s.io/apiserver/pkg/server/options"
	"k8s.io/apiserver/pkg/util/compatibility"
	basecompatibility "k8s.io/component-base/compatibility"
	netutils "k8s.io/utils/net"

	"gitops.io/apiserver/pkg/admission/serviceaccount"
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsopenapi "gitops.io/apiserver/pkg/generated/openapi"
)

// Options are the command-line options of gitops-apiserver: the recommended
// options of an aggregated API server without etcd, plus where the storage
// repository lives.
type Options struct {
	RecommendedOptions *genericoptions.RecommendedOptions
	// ComponentGlobalsRegistry holds the effective version and feature gates
	// (--emulated-version, --feature-gates).
	ComponentGlobalsRegistry basecompatibility.ComponentGlobalsRegistry

	// StoragePath is the bare Git repository objects are stored in.
	StoragePath string
	// StorageBranch is the branch holding the desired state.
	StorageBranch string
	// Mirror is the optional remote of the storage branch.
	Mirror MirrorOptions
	// ServerNamespace is the namespace the server runs in.
	ServerNamespace string
	// PushIdentity owns objects taken in from a git push.
	PushIdentity PushIdentityOptions
	// Sources are the options of the source reconcilers.
	Sources *SourceOptions
}

// NewOptions returns the defaults.
func NewOptions() *Options {
	o := &Options{
		RecommendedOptions:       genericoptions.NewRecommendedOptions("", Codecs.LegacyCodec(v1alpha1.SchemeGroupVersion)),
		ComponentGlobalsRegistry: compatibility.DefaultComponentGlobalsRegistry,
		StoragePath:              "/var/lib/gitops/storage.git",
		StorageBranch:            "main",
		Mirror:                   MirrorOptions{PullInterval: 10 * time.Second},
		ServerNamespace:          ownNamespace(),
		PushIdentity:             NewPushIdentityOptions(),
		Sources:                  NewSourceOptions(),
	}
	// Objects live in Git, so there is no etcd to configure.
	o.RecommendedOptions.Etcd = nil
	// Naming a ServiceAccount makes the reconcilers act as it, so only
	// whoever may impersonate it may name it. On by default.
	admission := o.RecommendedOptions.Admission
	serviceaccount.Register(admission.Plugins)
	admission.RecommendedPluginOrder = append(admission.RecommendedPluginOrder, serviceaccount.PluginName)
	return o
}

// AddFlags adds the options' flags to fs.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	o.RecommendedOptions.AddFlags(fs)
	o.ComponentGlobalsRegistry.AddFlags(fs)
	fs.StringVar(&o.StoragePath, "storage-path", o.StoragePath,
		"Bare Git repository the gitops.io objects are stored in; created when missing.")
	fs.StringVar(&o.StorageBranch, "storage-branch", o.StorageBranch,
		"Branch of the storage repository that holds the desired state, one manifest per object.")
	o.Mirror.AddFlags(fs)
	fs.StringVar(&o.ServerNamespace, "server-namespace", o.ServerNamespace,
		"Namespace the server runs in (default: $POD_NAMESPACE, else the pod's own); Events about skipped pushed files that name no object go there.")
	o.PushIdentity.AddFlags(fs)
	o.Sources.AddFlags(fs)
}

// Validate checks the options after flags are parsed.
func (o *Options) Validate() error {
	errs := o.RecommendedOptions.Validate()
	errs = append(errs, o.ComponentGlobalsRegistry.Validate()...)
	if o.StoragePath == "" {
		errs = append(errs, errors.New("--storage-path must not be empty"))
	}
	if o.StorageBranch == "" {
		errs = append(errs, errors.New("--storage-branch must not be empty"))
	}
	errs = append(errs, o.Mirror.Validate()...)
	errs = append(errs, o.PushIdentity.Validate()...)
	errs = append(errs, o.Sources.Validate()...)
	return utilerrors.NewAggregate(errs)
}

// Config builds the server configuration from the options.
func (o *Options) Config() (*Config, error) {
	// Without --tls-cert-file, serve with a self-signed certificate: enough for
	// a quick try, while the APIService's caBundle needs a real one.
	if err := o.RecommendedOptions.SecureServing.MaybeDefaultWithSelfSignedCerts("localhost", nil,
		[]net.IP{netutils.ParseIPSloppy("127.0.0.1")}); err != nil {
		return nil, fmt.Errorf("creating self-signed certificates: %w", err)
	}

	serverConfig := genericapiserver.NewRecommendedConfig(Codecs)
	namer := openapi.NewDefinitionNamer(Scheme)
	serverConfig.OpenAPIConfig = genericapiserver.DefaultOpenAPIConfig(gitopsopenapi.GetOpenAPIDefinitions, namer)
	serverConfig.OpenAPIConfig.Info.Title = "gitops.io"
	serverConfig.OpenAPIConfig.Info.Version = v1alpha1.SchemeGroupVersion.Version
	serverConfig.OpenAPIV3Config = genericapiserver.DefaultOpenAPIV3Config(gitopsopenapi.GetOpenAPIDefinitions, namer)
	serverConfig.OpenAPIV3Config.Info.Title = "gitops.io"
	serverConfig.OpenAPIV3Config.Info.Version = v1alpha1.SchemeGroupVersion.Version

	serverConfig.FeatureGate = o.ComponentGlobalsRegistry.FeatureGateFor(basecompatibility.DefaultKubeComponent)
	serverConfig.EffectiveVersion = o.ComponentGlobalsRegistry.EffectiveVersionFor(basecompatibility.DefaultKubeComponent)

	if err := o.RecommendedOptions.ApplyTo(serverConfig); err != nil {
		return nil, err
	}
	return &Config{
		GenericConfig: serverConfig,
		ExtraConfig: ExtraConfig{
			StoragePath:     o.StoragePath,
			StorageBranch:   o.StorageBranch,
			Mirror:          o.Mirror,
			ServerNamespace: o.ServerNamespace,
			PushIdentity:    o.PushIdentity,
			Sources:         *o.Sources,
		},
	}, nil
}

// Run starts the server and blocks until ctx ends.
func (o *Options) Run(ctx context.Context) error {
	config, err := o.Config()
	if err != nil {
		return err
	}
	server, err := config.Complete().New()
	if err != nil {
		return err
	}
	return server.Run(ctx)
}

// NewCommand returns the gitops-apiserver command, running until ctx ends.
func NewCommand(ctx context.Context, o *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gitops-apiserver",
		Short: "Serve the gitops.io API group from a Git repository",
		Long: "gitops-apiserver is a Kubernetes aggregated API server for gitops.io/v1alpha1 " +
			"(Flux's kinds) that stores its objects as manifests in a Git repository.",
		PersistentPreRunE: func(*cobra.Command, []string) error {
			// Applies --emulated-version and --feature-gates right after parsing.
			return o.ComponentGlobalsRegistry.Set()
		},
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(c.Context())
		},
		Args: cobra.NoArgs,
	}
	cmd.SetContext(ctx)
	o.AddFlags(cmd.Flags())
	cmd.AddCommand(newPreReceiveCommand())
	return cmd
}
