package layout

import (
	"bytes"
	"encoding/json"
	"fmt"

	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

// manifestMetadata are the metadata fields a person writes; every other
// metadata field is owned by the server and kept on the state ref.
var manifestMetadata = []string{"name", "namespace", "labels", "annotations"}

// Split divides an encoded object (JSON) into the manifest that goes on the
// branch (apiVersion, kind, the person-written metadata but operational
// annotations, spec and any other top-level field but status) and the
// server-owned state (the rest of metadata, and status). Both are serialised with sorted keys, so an unchanged
// object always gives the same bytes.
func Split(object []byte) (manifest, state []byte, err error) {
	obj, err := decode(object)
	if err != nil {
		return nil, nil, err
	}
	meta, _ := obj["metadata"].(map[string]any)
	manifestMeta := map[string]any{}
	stateMeta := map[string]any{}
	for k, v := range meta {
		stateMeta[k] = v
	}
	for _, k := range manifestMetadata {
		if v, ok := meta[k]; ok {
			manifestMeta[k] = v
			delete(stateMeta, k)
		}
	}
	if operational := takeOperational(manifestMeta); operational != nil {
		stateMeta["annotations"] = operational
	}
	stateObj := map[string]any{}
	if len(stateMeta) > 0 {
		stateObj["metadata"] = stateMeta
	}
	if status, ok := obj["status"]; ok {
		stateObj["status"] = status
		delete(obj, "status")
	}
	obj["metadata"] = manifestMeta
	// The state first: manifestYAML converts the manifest's numbers in place.
	if state, err = json.Marshal(stateObj); err != nil {
		return nil, nil, err
	}
	if manifest, err = manifestYAML(obj); err != nil {
		return nil, nil, err
	}
	return manifest, state, nil
}

// manifestYAML writes a decoded JSON object as sigs.k8s.io/yaml.Marshal
// would, byte for byte, without its round trip through JSON text and a YAML
// parse, which took a tenth of a write's CPU. That round trip gives every
// number the type YAML reads its text as; the rest of a decoded object
// (strings, booleans, null, maps with string keys, lists) marshals the same
// either way. Numbers are converted in place.
func manifestYAML(obj map[string]any) ([]byte, error) {
	if _, err := yamlNumbers(obj); err != nil {
		return nil, err
	}
	return yamlv2.Marshal(obj)
}

// yamlNumbers replaces each json.Number in v by what YAML reads its text as.
func yamlNumbers(v any) (any, error) {
	var err error
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if v[k], err = yamlNumbers(e); err != nil {
				return nil, err
			}
		}
	case []any:
		for i, e := range v {
			if v[i], err = yamlNumbers(e); err != nil {
				return nil, err
			}
		}
	case json.Number:
		var n any
		err = yamlv2.Unmarshal([]byte(v), &n)
		return n, err
	}
	return v, nil
}

// Merge joins a manifest and its state (which may be empty for a manifest
// pushed by hand) back into one JSON object, with the state's status only.
func Merge(manifest, state []byte) ([]byte, error) {
	js, err := yaml.YAMLToJSON(manifest)
	if err != nil {
		return nil, err
	}
	obj, err := decode(js)
	if err != nil {
		return nil, err
	}
	// Status is the server's (status.owner says as whom reconcilers act): a
	// status in a pushed file is never served.
	delete(obj, "status")
	if len(state) > 0 {
		st, err := decode(state)
		if err != nil {
			return nil, fmt.Errorf("state: %w", err)
		}
		meta, _ := obj["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			obj["metadata"] = meta
		}
		stMeta, _ := st["metadata"].(map[string]any)
		for k, v := range stMeta {
			if k == "annotations" {
				putOperational(meta, v)
			} else if _, person := meta[k]; !person {
				meta[k] = v
			}
		}
		if status, ok := st["status"]; ok {
			obj["status"] = status
		}
	}
	return json.Marshal(obj)
}

func decode(data []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var obj map[string]any
	if err := d.Decode(&obj); err != nil {
		return nil, fmt.Errorf("object is not a JSON object: %w", err)
	}
	if obj == nil {
		return nil, fmt.Errorf("object is empty")
	}
	return obj, nil
}
