package serviceaccount

import (
	"context"
	"errors"
	"fmt"
	"io"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apiserver/pkg/admission"
	"k8s.io/apiserver/pkg/admission/initializer"
	"k8s.io/apiserver/pkg/authorization/authorizer"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// PluginName is the plugin's name in --enable-admission-plugins and
// --disable-admission-plugins.
const PluginName = "ServiceAccountImpersonation"

// fieldPath is the field the plugin guards.
var fieldPath = field.NewPath("spec", "serviceAccountName")

// Register registers the plugin.
func Register(plugins *admission.Plugins) {
	plugins.Register(PluginName, func(io.Reader) (admission.Interface, error) {
		return New(), nil
	})
}

// Plugin refuses a create or update of a gitops.io object that sets
// spec.serviceAccountName to a ServiceAccount its writer may not impersonate.
type Plugin struct {
	*admission.Handler
	authorizer authorizer.Authorizer
}

var (
	_ admission.ValidationInterface = &Plugin{}
	_ initializer.WantsAuthorizer   = &Plugin{}
)

// New returns the plugin; the generic server's initializer gives it the
// authorizer.
func New() *Plugin {
	return &Plugin{Handler: admission.NewHandler(admission.Create, admission.Update)}
}

// SetAuthorizer sets the authorizer that decides on impersonation.
func (p *Plugin) SetAuthorizer(a authorizer.Authorizer) {
	p.authorizer = a
}

// ValidateInitialization refuses to start without an authorizer: the plugin
// would otherwise have to let every write through or refuse every one.
func (p *Plugin) ValidateInitialization() error {
	if p.authorizer == nil {
		return errors.New(PluginName + " admission plugin needs an authorizer")
	}
	return nil
}

// Validate checks the writer may impersonate the ServiceAccount the object
// names, when the write sets it or changes it. An update that leaves it as
// stored is not checked again, so an administrator may suspend or edit a
// tenant's object without the tenant's rights; removing it lends no rights.
// Subresources (status, history, artifact) never change the spec.
func (p *Plugin) Validate(ctx context.Context, a admission.Attributes, _ admission.ObjectInterfaces) error {
	if a.GetResource().Group != v1alpha1.GroupName || a.GetSubresource() != "" {
		return nil
	}
	name := v1alpha1.ServiceAccountNameOf(a.GetObject())
	if name == "" {
		return nil
	}
	if a.GetOperation() == admission.Update && v1alpha1.ServiceAccountNameOf(a.GetOldObject()) == name {
		return nil
	}
	user := a.GetUserInfo()
	if user == nil {
		return admission.NewForbidden(a, field.Forbidden(fieldPath, "a request without a user may not set it"))
	}
	impersonate := authorizer.AttributesRecord{
		User:            user,
		Verb:            "impersonate",
		Namespace:       a.GetNamespace(),
		APIGroup:        "",
		Resource:        "serviceaccounts",
		Name:            name,
		ResourceRequest: true,
	}
	decision, reason, err := p.authorizer.Authorize(ctx, impersonate)
	if decision == authorizer.DecisionAllow {
		return nil
	}
	if err != nil {
		// The check could not be made (kube-apiserver unreachable, say): a
		// server error the client may retry, not a refusal.
		return apierrors.NewInternalError(fmt.Errorf("%s: checking whether %q may impersonate ServiceAccount %s/%s: %w",
			fieldPath, user.GetName(), a.GetNamespace(), name, err))
	}
	detail := fmt.Sprintf("setting it needs permission to impersonate ServiceAccount %q in namespace %q (verb \"impersonate\" on \"serviceaccounts\"), which user %q lacks",
		name, a.GetNamespace(), user.GetName())
	if reason != "" {
		detail += " (" + reason + ")"
	}
	return admission.NewForbidden(a, field.Forbidden(fieldPath, detail))
}
