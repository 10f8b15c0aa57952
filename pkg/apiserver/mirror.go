package apiserver

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// MirrorOptions configure the optional remote the storage branch is mirrored
// to: every API write is pushed there before it is acknowledged, and commits
// pushed there are pulled in.
type MirrorOptions struct {
	// URL of the remote repository; empty means no mirror.
	URL string
	// Secret is "namespace/name" of a core Secret with "username" and
	// "password", or "bearerToken", for the remote. Credentials never leave
	// the cluster's Secrets.
	Secret string
	// PullInterval is how often the remote is fetched.
	PullInterval time.Duration
}

// AddFlags adds the flags of o to fs.
func (o *MirrorOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.URL, "storage-remote", o.URL,
		"URL of a Git remote that mirrors the storage branch (API writes are pushed to it before they are acknowledged; its commits are pulled in).")
	fs.StringVar(&o.Secret, "storage-remote-secret", o.Secret,
		`"namespace/name" of a Secret with "username" and "password", or "bearerToken", for --storage-remote.`)
	fs.DurationVar(&o.PullInterval, "storage-remote-pull-interval", o.PullInterval,
		"How often --storage-remote is fetched.")
}

// Validate checks o after flags are parsed.
func (o *MirrorOptions) Validate() []error {
	var errs []error
	if o.Secret != "" && o.URL == "" {
		errs = append(errs, errors.New("--storage-remote-secret needs --storage-remote"))
	}
	if ns, name, ok := strings.Cut(o.Secret, "/"); o.Secret != "" && (!ok || ns == "" || name == "") {
		errs = append(errs, fmt.Errorf("--storage-remote-secret %q must be namespace/name", o.Secret))
	}
	if o.URL != "" && o.PullInterval <= 0 {
		errs = append(errs, errors.New("--storage-remote-pull-interval must be positive"))
	}
	return errs
}

// mirror reads the credentials from the cluster and describes the remote for
// the revision log; nil when no remote is configured.
func (o MirrorOptions) mirror(ctx context.Context, cluster *rest.Config) (*revlog.Mirror, error) {
	if o.URL == "" {
		return nil, nil
	}
	m := &revlog.Mirror{Remote: gitrepo.Remote{URL: o.URL}, PullInterval: o.PullInterval}
	if o.Secret == "" {
		return m, nil
	}
	ns, name, _ := strings.Cut(o.Secret, "/")
	client, err := kubernetes.NewForConfig(cluster)
	if err != nil {
		return nil, err
	}
	secret, err := client.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("reading --storage-remote-secret %s: %w", o.Secret, err)
	}
	if m.Remote.Auth, err = remoteAuth(secret); err != nil {
		return nil, fmt.Errorf("--storage-remote-secret %s: %w", o.Secret, err)
	}
	return m, nil
}

// remoteAuth takes Flux's keys for Git credentials from a Secret.
func remoteAuth(s *corev1.Secret) (transport.AuthMethod, error) {
	if token := s.Data["bearerToken"]; len(token) > 0 {
		return &githttp.TokenAuth{Token: string(token)}, nil
	}
	user, password := s.Data["username"], s.Data["password"]
	if len(user) == 0 || len(password) == 0 {
		return nil, errors.New(`needs "username" and "password", or "bearerToken"`)
	}
	return &githttp.BasicAuth{Username: string(user), Password: string(password)}, nil
}
