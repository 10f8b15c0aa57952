package helmrelease

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/fluxcd/cli-utils/pkg/object"
	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// recordInventory lists the objects of the latest release in
// status.inventory, as Flux does: those of its manifest and the CRDs of its
// chart, in the entry format Kustomizations use. It is listed again only
// when the run acted, or status lacks it.
func recordInventory(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) {
	if len(run.done) == 0 && obj.Status.Inventory != nil {
		return
	}
	latest, err := lastRelease(run.helm, ReleaseName(obj))
	if err != nil {
		return
	}
	if latest == nil || latest.Info.Status == common.StatusUninstalled {
		obj.Status.Inventory = nil
		return
	}
	inv, err := inventoryOf(run.helm, latest)
	if err != nil {
		// Status keeps the last inventory; the release itself is unaffected.
		klog.FromContext(ctx).Error(err, "Listing the objects of a release", "helmrelease", klog.KObj(obj), "release", latest.Name)
		return
	}
	obj.Status.Inventory = inv
}

// inventoryOf maps rel's objects as the cluster knows them (so that a
// namespaced object without a namespace gets the release's, a cluster-scoped
// one none) and lists them sorted.
func inventoryOf(helm *action.Configuration, rel *release.Release) (*v1alpha1.ResourceInventory, error) {
	manifests := []string{rel.Manifest}
	if rel.Chart != nil {
		for _, crd := range rel.Chart.CRDObjects() {
			manifests = append(manifests, string(crd.File.Data))
		}
	}
	inv := &v1alpha1.ResourceInventory{Entries: []v1alpha1.ResourceRef{}}
	for _, manifest := range manifests {
		resources, err := helm.KubeClient.Build(bytes.NewBufferString(manifest), false)
		if err != nil {
			return nil, err
		}
		for _, info := range resources {
			gvk := info.Mapping.GroupVersionKind
			id := object.ObjMetadata{Namespace: info.Namespace, Name: info.Name, GroupKind: gvk.GroupKind()}
			inv.Entries = append(inv.Entries, v1alpha1.ResourceRef{ID: id.String(), Version: gvk.Version})
		}
	}
	slices.SortFunc(inv.Entries, func(a, b v1alpha1.ResourceRef) int { return strings.Compare(a.ID, b.ID) })
	inv.Entries = slices.CompactFunc(inv.Entries, func(a, b v1alpha1.ResourceRef) bool { return a.ID == b.ID })
	return inv, nil
}
