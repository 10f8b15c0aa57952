package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupName is the API group every kind in this package belongs to.
const GroupName = "gitops.io"

// SchemeGroupVersion is the group and version of this package's kinds.
var SchemeGroupVersion = schema.GroupVersion{Group: GroupName, Version: "v1alpha1"}

var (
	// SchemeBuilder collects the functions that add this package to a scheme.
	SchemeBuilder      runtime.SchemeBuilder
	localSchemeBuilder = &SchemeBuilder
	// AddToScheme registers the v1alpha1 kinds and their defaulting functions.
	AddToScheme = localSchemeBuilder.AddToScheme
)

func init() {
	// Only hand-written functions are registered here, so the package still
	// compiles while generated files are being regenerated.
	localSchemeBuilder.Register(addKnownTypes, addDefaultingFuncs)
}

// Resource qualifies a resource name (for example "gitrepositories") with the group.
func Resource(resource string) schema.GroupResource {
	return SchemeGroupVersion.WithResource(resource).GroupResource()
}

// Kind qualifies a kind name with the group.
func Kind(kind string) schema.GroupKind {
	return SchemeGroupVersion.WithKind(kind).GroupKind()
}

// KnownTypes lists one empty value of every object, list and response type of the
// group, so the internal version can register the very same Go types.
func KnownTypes() []runtime.Object {
	return []runtime.Object{
		&GitRepository{}, &GitRepositoryList{},
		&OCIRepository{}, &OCIRepositoryList{},
		&HelmRepository{}, &HelmRepositoryList{},
		&HelmChart{}, &HelmChartList{},
		&Bucket{}, &BucketList{},
		&Kustomization{}, &KustomizationList{},
		&HelmRelease{}, &HelmReleaseList{},
		&Provider{}, &ProviderList{},
		&Alert{}, &AlertList{},
		&Receiver{}, &ReceiverList{},
		&ImageRepository{}, &ImageRepositoryList{},
		&ImagePolicy{}, &ImagePolicyList{},
		&ImageUpdateAutomation{}, &ImageUpdateAutomationList{},
		&ObjectHistory{},
	}
}

func addKnownTypes(scheme *runtime.Scheme) error {
	scheme.AddKnownTypes(SchemeGroupVersion, KnownTypes()...)
	metav1.AddToGroupVersion(scheme, SchemeGroupVersion)
	return nil
}

func addDefaultingFuncs(scheme *runtime.Scheme) error {
	return RegisterDefaults(scheme)
}
