package layout

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/uuid"
	"sigs.k8s.io/yaml"
)

// CheckManifest verifies that a manifest written outside the API (a git push)
// is an object whose name and namespace match its path.
func CheckManifest(key string, manifest []byte) error {
	js, err := yaml.YAMLToJSON(manifest)
	if err != nil {
		return fmt.Errorf("not valid YAML: %w", err)
	}
	var obj struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(js, &obj); err != nil {
		return fmt.Errorf("not a Kubernetes object: %w", err)
	}
	if obj.APIVersion == "" || obj.Kind == "" {
		return fmt.Errorf("apiVersion and kind are required")
	}
	parts := strings.Split(strings.TrimPrefix(key, "/"), "/")
	wantName, wantNamespace := parts[len(parts)-1], ""
	if len(parts) == 3 {
		wantNamespace = parts[1]
	}
	if obj.Metadata.Name != wantName {
		return fmt.Errorf("metadata.name %q does not match the file name %q", obj.Metadata.Name, wantName)
	}
	if obj.Metadata.Namespace != wantNamespace {
		return fmt.Errorf("metadata.namespace %q does not match the directory %q", obj.Metadata.Namespace, wantNamespace)
	}
	return nil
}

// StateForExternal gives the server-owned state for a manifest that arrived
// from outside: a new object gets a uid, a creation time and generation 1; a
// changed one keeps its state and gets the next generation if anything but
// metadata changed, as the API's strategies do.
func StateForExternal(oldManifest, oldState, newManifest []byte, now time.Time) ([]byte, error) {
	if oldManifest == nil {
		return json.Marshal(map[string]any{"metadata": map[string]any{
			"uid":               string(uuid.NewUUID()),
			"creationTimestamp": now.UTC().Format(time.RFC3339),
			"generation":        1,
		}})
	}
	st, err := decode(oldState)
	if err != nil {
		return nil, err
	}
	specChanged, err := contentChanged(oldManifest, newManifest)
	if err != nil || !specChanged {
		return oldState, err
	}
	meta, _ := st["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		st["metadata"] = meta
	}
	gen := int64(0)
	if n, ok := meta["generation"].(json.Number); ok {
		gen, _ = n.Int64()
	}
	meta["generation"] = gen + 1
	return json.Marshal(st)
}

func contentChanged(a, b []byte) (bool, error) {
	strip := func(m []byte) (map[string]any, error) {
		js, err := yaml.YAMLToJSON(m)
		if err != nil {
			return nil, err
		}
		obj, err := decode(js)
		delete(obj, "metadata")
		return obj, err
	}
	x, err := strip(a)
	if err != nil {
		return false, err
	}
	y, err := strip(b)
	if err != nil {
		return false, err
	}
	return !reflect.DeepEqual(x, y), nil
}
