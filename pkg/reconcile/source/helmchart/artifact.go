package helmchart

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"time"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// upToDate reports whether the stored artifact already is version of the
// chart name, made with the current values files.
func upToDate(obj *v1alpha1.HelmChart, name, version string) bool {
	a := obj.Status.Artifact
	if a == nil || a.Revision != version || obj.Status.ObservedChartName != name {
		return false
	}
	if obj.Spec.IgnoreMissingValuesFiles {
		// Missing files were left out: compare with what was merged.
		return isSubsequence(obj.Status.ObservedValuesFiles, obj.Spec.ValuesFiles)
	}
	return slices.Equal(obj.Status.ObservedValuesFiles, obj.Spec.ValuesFiles)
}

func isSubsequence(sub, of []string) bool {
	i := 0
	for _, s := range of {
		if i < len(sub) && sub[i] == s {
			i++
		}
	}
	return i == len(sub)
}

// storeChart keeps the chart as the object's new artifact. packaged is the
// chart as downloaded, kept byte for byte when no valuesFiles change it;
// nil means the chart must be packaged. read reads the values files.
func (r *Reconciler) storeChart(obj *v1alpha1.HelmChart, c *chart.Chart, packaged []byte, read readFile) error {
	var merged []string
	if len(obj.Spec.ValuesFiles) > 0 {
		values, files, err := mergeValuesFiles(obj, read)
		if err != nil {
			return packageFailed("%v", err)
		}
		if err := setValues(c, values); err != nil {
			return packageFailed("values of chart '%s': %v", c.Name(), err)
		}
		merged, packaged = files, nil
	}
	if packaged == nil {
		var err error
		if packaged, err = packageChart(c); err != nil {
			return packageFailed("packaging chart '%s': %v", c.Name(), err)
		}
	}
	version := c.Metadata.Version
	stored, err := r.Storage.Store(kind, obj.Namespace, obj.Name, fmt.Sprintf("%s-%s.tgz", c.Name(), version), bytes.NewReader(packaged))
	if err != nil {
		return source.StorageFailed(v1alpha1.ArchiveOperationFailedReason, err)
	}
	size := stored.Size
	obj.Status.Artifact = &v1alpha1.Artifact{
		Path:           stored.Path,
		URL:            ArtifactURL(obj.Namespace, obj.Name),
		Revision:       version,
		Digest:         stored.Digest,
		Size:           &size,
		LastUpdateTime: metav1.NewTime(time.Now().Truncate(time.Second)),
	}
	obj.Status.URL = obj.Status.Artifact.URL
	obj.Status.ObservedChartName = c.Name()
	obj.Status.ObservedValuesFiles = merged
	if err := r.Storage.GarbageCollect(kind, obj.Namespace, obj.Name, stored.Path); err != nil {
		// Old files take space but harm nothing; the next run tries again.
		klog.Background().Error(err, "Garbage-collecting artifacts", "helmchart", klog.KObj(obj))
	}
	return nil
}

// packageChart is `helm package` of c.
func packageChart(c *chart.Chart) ([]byte, error) {
	tmp, err := tempDir()
	if err != nil {
		return nil, err
	}
	defer removeAll(tmp)
	file, err := chartutil.Save(c, tmp)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(file)
}

func loadArchive(data []byte) (*chart.Chart, error) {
	return loader.LoadArchive(bytes.NewReader(data))
}

// ArtifactURL is where the API serves a HelmChart's packaged chart: its
// artifact subresource, relative to the API server.
func ArtifactURL(namespace, name string) string {
	return fmt.Sprintf("/apis/%s/namespaces/%s/helmcharts/%s/artifact",
		v1alpha1.SchemeGroupVersion.String(), namespace, name)
}
