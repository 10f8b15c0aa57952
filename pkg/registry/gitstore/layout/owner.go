package layout

import (
	"encoding/json"
	"fmt"
)

// pushOwner makes owner the status.owner of the state st when a push
// changes the manifest from before to after (both as served gives them) in
// spec.serviceAccountName: setting, changing or removing it. That is the rule
// of API writes: only a change of the identity an object acts as lends it the
// writer's rights; any other edit keeps the stored owner, also none. A nil
// owner changes nothing.
func pushOwner(st, before, after map[string]any, owner json.RawMessage) error {
	if owner == nil || serviceAccountName(before) == serviceAccountName(after) {
		return nil
	}
	status, ok := st["status"].(map[string]any)
	if !ok {
		if st["status"] != nil {
			return fmt.Errorf("state: status is not an object")
		}
		status = map[string]any{}
		st["status"] = status
	}
	status["owner"] = owner
	return nil
}

// serviceAccountName is spec.serviceAccountName of a manifest, "" when it has
// none (as for a kind without the field); a value that is no string is the
// kind's validation's to refuse.
func serviceAccountName(manifest map[string]any) string {
	spec, _ := manifest["spec"].(map[string]any)
	name, _ := spec["serviceAccountName"].(string)
	return name
}
