package apiserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/pflag"
	"k8s.io/apiserver/pkg/authentication/user"

	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// PushIdentityOptions name the identity that owns objects taken in from a
// git push to the storage repository or its remote: git tells the server
// no Kubernetes user, so the administrator binds this one to the rights
// pushers should have, and reconcilers act as it.
type PushIdentityOptions struct {
	// User is the user name.
	User string
	// Groups are the user's groups.
	Groups []string
}

// NewPushIdentityOptions returns the defaults: gitops:push in gitops:pushers.
func NewPushIdentityOptions() PushIdentityOptions {
	return PushIdentityOptions{User: "gitops:push", Groups: []string{"gitops:pushers"}}
}

// AddFlags adds the flags of o to fs.
func (o *PushIdentityOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.User, "push-identity", o.User,
		"User name that owns objects taken in from a git push to the storage repository or its remote "+
			"(status.owner; reconcilers act as it): bind it, or its groups, to what pushers may do.")
	fs.StringSliceVar(&o.Groups, "push-identity-groups", o.Groups,
		"Groups of --push-identity.")
}

// Validate checks o after flags are parsed.
func (o *PushIdentityOptions) Validate() []error {
	var errs []error
	if o.User == "" {
		errs = append(errs, errors.New("--push-identity must not be empty: pushed objects need an owner"))
	}
	if slices.Contains(o.Groups, "") {
		errs = append(errs, fmt.Errorf("--push-identity-groups %q names an empty group", o.Groups))
	}
	return errs
}

// owner is status.owner of pushed objects, as revlog.Options.PushOwner
// takes it: the owner an API write by this user would record.
func (o *PushIdentityOptions) owner() (json.RawMessage, error) {
	return json.Marshal(kindregistry.OwnerOf(&user.DefaultInfo{Name: o.User, Groups: o.Groups}))
}
