package helmchart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// readFile reads a values file by its slash-separated path, or returns
// fs.ErrNotExist.
type readFile func(name string) ([]byte, error)

// chartFilesOf reads the files of a chart, paths relative to its root: for
// charts from a Helm repository, valuesFiles are inside the chart.
func chartFilesOf(c *chart.Chart) readFile {
	return func(name string) ([]byte, error) {
		for _, f := range c.Raw {
			if f.Name == name {
				return f.Data, nil
			}
		}
		return nil, fs.ErrNotExist
	}
}

// sourceFiles reads the files of an extracted source, paths relative to its
// root: for charts from a GitRepository or Bucket, valuesFiles may be
// anywhere in the source.
func sourceFiles(root string) readFile {
	return func(name string) ([]byte, error) {
		return os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	}
}

// mergeValuesFiles merges spec.valuesFiles in order, later over earlier, and
// returns the values and the files merged (missing ones are left out with
// spec.ignoreMissingValuesFiles).
func mergeValuesFiles(obj *v1alpha1.HelmChart, read readFile) (map[string]any, []string, error) {
	values := map[string]any{}
	var merged []string
	for _, name := range obj.Spec.ValuesFiles {
		clean := strings.TrimPrefix(path.Clean("/"+name), "/")
		data, err := read(clean)
		if errors.Is(err, fs.ErrNotExist) && obj.Spec.IgnoreMissingValuesFiles {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("values file '%s' of spec.valuesFiles: %w", name, err)
		}
		var file map[string]any
		if err := yaml.Unmarshal(data, &file); err != nil {
			return nil, nil, fmt.Errorf("values file '%s' of spec.valuesFiles is not YAML: %v", name, err)
		}
		values = mergeMaps(values, file)
		merged = append(merged, name)
	}
	return values, merged, nil
}

// mergeMaps merges b over a: maps merge key by key, anything else in b
// replaces what a has.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// setValues makes values the chart's values.yaml.
func setValues(c *chart.Chart, values map[string]any) error {
	data, err := yaml.Marshal(values)
	if err != nil {
		return err
	}
	c.Values = values
	for _, f := range c.Raw {
		if f.Name == chartutil.ValuesfileName {
			f.Data = data
			return nil
		}
	}
	c.Raw = append(c.Raw, &common.File{Name: chartutil.ValuesfileName, Data: data})
	return nil
}
