// Package install adds the gitops.io API group to a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"gitops.io/apiserver/pkg/apis/gitops"
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Install registers the internal and v1alpha1 versions of gitops.io, with
// v1alpha1 as the preferred (and only served) version.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(gitops.AddToScheme(scheme))
	utilruntime.Must(v1alpha1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(v1alpha1.SchemeGroupVersion))
}
