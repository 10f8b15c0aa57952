package layout

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// StateFile is what the state ref holds per object: the server-owned state,
// the revision of the object's last change, and the manifest blob that state
// belongs to (so a bad manifest pushed later cannot hide the last good one).
type StateFile struct {
	Revision uint64
	Manifest plumbing.Hash
	State    []byte
}

type stateFileJSON struct {
	Revision string          `json:"revision"`
	Manifest string          `json:"manifest"`
	State    json.RawMessage `json:"state"`
}

// Encode serialises the state file deterministically.
func (f StateFile) Encode() ([]byte, error) {
	return json.Marshal(stateFileJSON{
		Revision: strconv.FormatUint(f.Revision, 10),
		Manifest: f.Manifest.String(),
		State:    f.State,
	})
}

// DecodeStateFile parses a state file.
func DecodeStateFile(data []byte) (StateFile, error) {
	var j stateFileJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return StateFile{}, fmt.Errorf("state file: %w", err)
	}
	rev, err := strconv.ParseUint(j.Revision, 10, 64)
	if err != nil {
		return StateFile{}, fmt.Errorf("state file revision: %w", err)
	}
	if !plumbing.IsHash(j.Manifest) {
		return StateFile{}, fmt.Errorf("state file manifest %q is not a hash", j.Manifest)
	}
	return StateFile{Revision: rev, Manifest: plumbing.NewHash(j.Manifest), State: j.State}, nil
}
