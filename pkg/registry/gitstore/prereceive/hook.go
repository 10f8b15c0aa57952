// Package prereceive is the storage repository's pre-receive hook. git
// receive-pack runs it before a push moves any ref; it applies intake's rule
// (revlog.CheckPushed) to every manifest the push changes on the storage
// branch, and refuses the whole push if intake would skip any of them, with
// one line per file naming it and why. So a bad file never enters the
// repository's history through a push to it; commits that arrive from a
// remote mirror, where no hook of ours runs, are still checked on intake.
package prereceive

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// Options configure the hook.
type Options struct {
	// Branch is the storage branch, e.g. "main".
	Branch string
	// Validate is the server's check of a pushed object (revlog.Options.Validate).
	Validate func(key string, object []byte) error
}

// Refused is the error of a push that must not go through; the reasons
// have been written to the report already.
type Refused struct{ Problems int }

func (r *Refused) Error() string {
	return fmt.Sprintf("push refused: %d of its files or refs would not be taken in (see above); nothing of it was stored", r.Problems)
}

// Run reads receive-pack's ref updates ("<old> <new> <ref>" lines) from
// updates and checks them against the repository the git CLI finds (the
// hook runs inside it), writing one line per problem to report. It returns a
// *Refused when the push must be refused, another error when it could not
// check the push (which refuses it too: a hook that fails lets nothing in).
func Run(ctx context.Context, updates io.Reader, report io.Writer, opts Options) error {
	branch := "refs/heads/" + opts.Branch
	problems := 0
	problem := func(what, why string) {
		problems++
		fmt.Fprintf(report, "%s: %s\n", what, strings.ReplaceAll(why, "\n", " "))
	}
	lines := bufio.NewScanner(updates)
	for lines.Scan() {
		fields := strings.Fields(lines.Text())
		if len(fields) != 3 {
			return fmt.Errorf("unexpected ref update %q", lines.Text())
		}
		old, new, ref := fields[0], fields[1], fields[2]
		switch {
		case ref == branch && isZero(new):
			problem(ref, "the storage branch cannot be deleted by a push (the server would keep serving its objects); remove the files instead")
		case ref == branch:
			if isZero(old) {
				old = emptyTree
			}
			bad, err := checkFiles(ctx, old, new, opts.Validate)
			if err != nil {
				return err
			}
			for _, b := range bad {
				problem(b.path, b.err.Error())
			}
		case strings.HasPrefix(ref, revlog.ServerRefPrefix):
			problem(ref, "this ref is gitops-apiserver's own; push objects to "+branch)
		}
		// Other branches and tags are the pusher's: intake never reads them.
	}
	if err := lines.Err(); err != nil {
		return err
	}
	if problems > 0 {
		return &Refused{Problems: problems}
	}
	return nil
}

type badFile struct {
	path string
	err  error
}

// checkFiles applies intake's rule to each manifest that differs between
// the commits old and new. Files outside the object layout (a README, say)
// are not objects, and removing a file is always allowed, as on intake.
func checkFiles(ctx context.Context, old, new string, validate func(string, []byte) error) ([]badFile, error) {
	files, err := changedFiles(ctx, old, new)
	if err != nil {
		return nil, err
	}
	objects, err := newObjectReader(ctx)
	if err != nil {
		return nil, err
	}
	defer objects.close()
	var bad []badFile
	for _, f := range files {
		key, ok := layout.KeyForManifest(f.Path)
		if !ok || isZero(f.New) {
			continue
		}
		if err := checkFile(objects, key, f.New, validate); err != nil {
			if errors.Is(err, errCannotRead) {
				return nil, err
			}
			bad = append(bad, badFile{f.Path, err})
		}
	}
	return bad, nil
}

var errCannotRead = errors.New("cannot read the repository")

// checkFile checks the manifest blob for key against what the server holds
// for key: its state file on the state ref, which records the state and
// the manifest it belongs to, as the server's index does.
func checkFile(objects *objectReader, key, blob string, validate func(string, []byte) error) error {
	var oldManifest, oldState []byte
	statePath, err := layout.StatePath(key)
	if err != nil {
		return err
	}
	stateFile, found, err := objects.read(revlog.StateRef + ":" + statePath)
	if err != nil {
		return fmt.Errorf("%w: %v", errCannotRead, err)
	}
	if found {
		sf, err := layout.DecodeStateFile(stateFile)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", errCannotRead, statePath, err)
		}
		if sf.Manifest.String() == blob {
			return nil // served already
		}
		if oldManifest, found, err = objects.read(sf.Manifest.String()); err != nil || !found {
			return fmt.Errorf("%w: manifest %s of %s: %v", errCannotRead, sf.Manifest, statePath, err)
		}
		oldState = sf.State
	}
	manifest, found, err := objects.read(blob)
	if err != nil {
		return fmt.Errorf("%w: %v", errCannotRead, err)
	}
	if !found {
		return fmt.Errorf("%s is not a file in the push (a submodule?)", blob)
	}
	// No owner: the hook only checks, and the owner changes no check.
	_, _, err = revlog.CheckPushed(key, manifest, oldManifest, oldState, nil, validate)
	return err
}

// isZero reports whether id is git's "no object" (all zeros).
func isZero(id string) bool { return strings.Trim(id, "0") == "" }
