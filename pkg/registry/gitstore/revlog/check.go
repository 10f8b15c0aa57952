package revlog

import (
	"encoding/json"
	"fmt"
	"time"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

// CheckPushed is the one rule a manifest pushed to the branch at key must
// pass to be served. Intake applies it to every pushed file (a file that
// fails is skipped) and the pre-receive hook to every file of a push (a file
// that fails refuses the push), so both doors let in the same files.
// oldManifest and oldState are what the store holds for key (nil for a new
// object); owner is Options.PushOwner (the hook, which only checks, may
// give none) and validate is Options.Validate. It returns the object's new
// state and the merged object.
func CheckPushed(key string, manifest, oldManifest, oldState []byte, owner json.RawMessage,
	validate func(key string, object []byte) error) (state, object []byte, err error) {
	if err := layout.CheckManifest(key, manifest); err != nil {
		return nil, nil, err
	}
	if state, err = layout.StateForExternal(oldManifest, oldState, manifest, owner, time.Now()); err != nil {
		return nil, nil, err
	}
	if object, err = layout.Merge(manifest, state); err != nil {
		return nil, nil, err
	}
	// The limit of API writes: what a push brings in is served the same way.
	if len(object) > MaxObjectSize {
		return nil, nil, fmt.Errorf("%w: %d bytes with its state, the limit is %d", ErrTooLarge, len(object), MaxObjectSize)
	}
	if validate != nil {
		if err := validate(key, object); err != nil {
			return nil, nil, err
		}
	}
	return state, object, nil
}
