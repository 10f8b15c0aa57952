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
// from outside: a new object gets a uid, a creation time, generation 1 and
// owner as status.owner; a changed one keeps its state and gets the next
// generation if anything but metadata changed, as the API's strategies do.
// A change keeps the stored owner unless it sets, changes or removes
// spec.serviceAccountName (see pushOwner). owner is an opaque JSON value;
// nil records no owner, and a change then keeps the stored one.
func StateForExternal(oldManifest, oldState, newManifest []byte, owner json.RawMessage, now time.Time) ([]byte, error) {
	if oldManifest == nil {
		st := map[string]any{"metadata": map[string]any{
			"uid":               string(uuid.NewUUID()),
			"creationTimestamp": now.UTC().Format(time.RFC3339),
			"generation":        1,
		}}
		if owner != nil {
			st["status"] = map[string]any{"owner": owner}
		}
		return json.Marshal(st)
	}
	st, err := decode(oldState)
	if err != nil {
		return nil, err
	}
	before, err := served(oldManifest)
	if err != nil {
		return nil, err
	}
	after, err := served(newManifest)
	if err != nil {
		return nil, err
	}
	if reflect.DeepEqual(before, after) {
		return oldState, nil
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
	if err := pushOwner(st, before, after, owner); err != nil {
		return nil, err
	}
	return json.Marshal(st)
}

// served is a manifest as JSON without what generation ignores: metadata,
// and a status (Merge never serves one from a file).
func served(manifest []byte) (map[string]any, error) {
	js, err := yaml.YAMLToJSON(manifest)
	if err != nil {
		return nil, err
	}
	obj, err := decode(js)
	if err != nil {
		return nil, err
	}
	delete(obj, "metadata")
	delete(obj, "status")
	return obj, nil
}
