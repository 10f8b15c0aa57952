package serviceaccount

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apiserver/pkg/admission"
	"k8s.io/apiserver/pkg/admission/initializer"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// impersonationRights is an authorizer that allows exactly the listed
// "user namespace/serviceaccount" impersonations and records what it was
// asked.
type impersonationRights struct {
	allowed []string
	err     error
	asked   []authorizer.Attributes
}

func (r *impersonationRights) authorizer() authorizer.Authorizer {
	return authorizer.AuthorizerFunc(func(_ context.Context, a authorizer.Attributes) (authorizer.Decision, string, error) {
		r.asked = append(r.asked, a)
		if r.err != nil {
			return authorizer.DecisionNoOpinion, "", r.err
		}
		if a.GetVerb() != "impersonate" || a.GetAPIGroup() != "" || a.GetResource() != "serviceaccounts" || !a.IsResourceRequest() {
			return authorizer.DecisionNoOpinion, "", nil
		}
		for _, rule := range r.allowed {
			if rule == a.GetUser().GetName()+" "+a.GetNamespace()+"/"+a.GetName() {
				return authorizer.DecisionAllow, "", nil
			}
		}
		return authorizer.DecisionNoOpinion, "", nil
	})
}

func kustomization(serviceAccount string) *v1alpha1.Kustomization {
	return &v1alpha1.Kustomization{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: "team-a"},
		Spec:       v1alpha1.KustomizationSpec{ServiceAccountName: serviceAccount},
	}
}

var (
	alice          = &user.DefaultInfo{Name: "alice", Groups: []string{"tenants"}}
	kustomizations = v1alpha1.SchemeGroupVersion.WithResource("kustomizations")
)

// write is the admission attributes of a write by u; old nil is a create.
func write(u user.Info, resource schema.GroupVersionResource, subresource string, obj, old runtime.Object) admission.Attributes {
	op := admission.Create
	if old != nil {
		op = admission.Update
	}
	return admission.NewAttributesRecord(obj, old, resource.GroupVersion().WithKind("Kustomization"),
		"team-a", "app", resource, subresource, op, nil, false, u)
}

func TestSettingServiceAccountNeedsImpersonateRight(t *testing.T) {
	alerts := v1alpha1.SchemeGroupVersion.WithResource("alerts")
	configMaps := schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	tests := []struct {
		name       string
		attributes admission.Attributes
		// allowed are the impersonations the writer has.
		allowed []string
		// refused: the write is refused with 403.
		refused bool
		// checked: the authorizer was asked.
		checked bool
	}{
		{name: "create naming a ServiceAccount the writer may impersonate",
			attributes: write(alice, kustomizations, "", kustomization("deployer"), nil),
			allowed:    []string{"alice team-a/deployer"}, checked: true},
		{name: "create naming a ServiceAccount the writer may not impersonate",
			attributes: write(alice, kustomizations, "", kustomization("deployer"), nil),
			allowed:    []string{"alice team-a/other", "bob team-a/deployer"}, refused: true, checked: true},
		{name: "create without a ServiceAccount",
			attributes: write(alice, kustomizations, "", kustomization(""), nil)},
		{name: "update keeping the stored ServiceAccount",
			attributes: write(alice, kustomizations, "", kustomization("deployer"), kustomization("deployer"))},
		{name: "update setting a ServiceAccount",
			attributes: write(alice, kustomizations, "", kustomization("deployer"), kustomization("")),
			refused:    true, checked: true},
		{name: "update changing the ServiceAccount to one the writer may not impersonate",
			attributes: write(alice, kustomizations, "", kustomization("cluster-admin"), kustomization("deployer")),
			allowed:    []string{"alice team-a/deployer"}, refused: true, checked: true},
		{name: "update changing the ServiceAccount to one the writer may impersonate",
			attributes: write(alice, kustomizations, "", kustomization("deployer"), kustomization("cluster-admin")),
			allowed:    []string{"alice team-a/deployer"}, checked: true},
		{name: "update removing the ServiceAccount",
			attributes: write(alice, kustomizations, "", kustomization(""), kustomization("deployer"))},
		{name: "status write",
			attributes: write(alice, kustomizations, "status", kustomization("deployer"), kustomization(""))},
		{name: "kind without the field",
			attributes: write(alice, alerts, "", &v1alpha1.Alert{}, nil)},
		{name: "another group",
			attributes: write(alice, configMaps, "", kustomization("deployer"), nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rights := &impersonationRights{allowed: tt.allowed}
			p := New()
			p.SetAuthorizer(rights.authorizer())
			err := p.Validate(context.Background(), tt.attributes, nil)
			if tt.refused != (err != nil) {
				t.Fatalf("refused %v, want %v: %v", err != nil, tt.refused, err)
			}
			if tt.checked != (len(rights.asked) > 0) {
				t.Errorf("authorizer asked %v, want %v", rights.asked, tt.checked)
			}
			if err == nil {
				return
			}
			if !apierrors.IsForbidden(err) {
				t.Errorf("refused with %v, want 403 Forbidden", err)
			}
			sa := v1alpha1.ServiceAccountNameOf(tt.attributes.GetObject())
			for _, want := range []string{"spec.serviceAccountName", `"` + sa + `"`, `"team-a"`, "impersonate", `"alice"`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("refusal %q does not name %s", err, want)
				}
			}
		})
	}
}

func TestImpersonationIsAskedOfTheWriterForTheServiceAccount(t *testing.T) {
	rights := &impersonationRights{}
	p := New()
	p.SetAuthorizer(rights.authorizer())
	_ = p.Validate(context.Background(), write(alice, kustomizations, "", kustomization("deployer"), nil), nil)
	if len(rights.asked) != 1 {
		t.Fatalf("authorizer asked %d times, want once", len(rights.asked))
	}
	a := rights.asked[0]
	if a.GetUser() != alice || a.GetVerb() != "impersonate" || a.GetAPIGroup() != "" || a.GetResource() != "serviceaccounts" ||
		a.GetSubresource() != "" || a.GetNamespace() != "team-a" || a.GetName() != "deployer" || !a.IsResourceRequest() {
		t.Errorf("asked user %v verb %q group %q resource %q/%q %s/%s resource request %v; want alice impersonate core serviceaccounts team-a/deployer",
			a.GetUser(), a.GetVerb(), a.GetAPIGroup(), a.GetResource(), a.GetSubresource(), a.GetNamespace(), a.GetName(), a.IsResourceRequest())
	}
}

func TestFailedAuthorizationCheckIsAServerError(t *testing.T) {
	rights := &impersonationRights{err: errors.New("connection refused")}
	p := New()
	p.SetAuthorizer(rights.authorizer())
	err := p.Validate(context.Background(), write(alice, kustomizations, "", kustomization("deployer"), nil), nil)
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Code != http.StatusInternalServerError {
		t.Fatalf("a failed check gave %v, want a 500", err)
	}
	if !strings.Contains(err.Error(), "spec.serviceAccountName") || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("%q does not name the field and the cause", err)
	}
}

// The plugin is built as the generic server builds it: registered by name
// and given the authorizer by the generic initializer.
func TestRegisteredPluginGetsTheServersAuthorizer(t *testing.T) {
	plugins := admission.NewPlugins()
	Register(plugins)
	rights := &impersonationRights{allowed: []string{"alice team-a/deployer"}}
	generic := initializer.New(nil, nil, nil, rights.authorizer(), nil, nil, nil, nil)
	plugin, err := plugins.InitPlugin(PluginName, nil, generic)
	if err != nil {
		t.Fatal(err)
	}
	validating := plugin.(admission.ValidationInterface)
	if err := validating.Validate(context.Background(), write(alice, kustomizations, "", kustomization("deployer"), nil), nil); err != nil {
		t.Errorf("an allowed ServiceAccount was refused: %v", err)
	}
	if err := validating.Validate(context.Background(), write(alice, kustomizations, "", kustomization("admin"), nil), nil); !apierrors.IsForbidden(err) {
		t.Errorf("a ServiceAccount alice may not impersonate gave %v, want 403", err)
	}
}

func TestPluginWithoutAuthorizerDoesNotStart(t *testing.T) {
	plugins := admission.NewPlugins()
	Register(plugins)
	_, err := plugins.InitPlugin(PluginName, nil, admission.PluginInitializers{})
	if err == nil || !strings.Contains(err.Error(), "authorizer") {
		t.Errorf("built without an authorizer: %v", err)
	}
}
