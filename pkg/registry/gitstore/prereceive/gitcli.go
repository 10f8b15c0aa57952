package prereceive

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// The hook reads the repository through the git CLI, not go-git: during a
// push the new objects are in a quarantine directory that receive-pack names
// in GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES, which git
// honours and go-git does not.

// emptyTree is the tree of no files; git knows it without storing it.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// changedFile is a file a push adds, changes or (New is zero) removes.
type changedFile struct {
	Path string
	New  string // blob id
}

// changedFiles lists the files that differ between two commits (old may be
// the empty tree), as intake diffs the branch it knows with the pushed one.
func changedFiles(ctx context.Context, old, new string) ([]changedFile, error) {
	var out bytes.Buffer
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, "git", "diff-tree", "-r", "-z", "--no-renames", old, new)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git diff-tree %s %s: %v: %s", old, new, err, strings.TrimSpace(stderr.String()))
	}
	// Each entry is ":<mode> <mode> <old id> <new id> <status>\0<path>\0".
	fields := strings.Split(out.String(), "\x00")
	var files []changedFile
	for i := 0; i+1 < len(fields); i += 2 {
		meta := strings.Fields(fields[i])
		if len(meta) != 5 {
			return nil, fmt.Errorf("git diff-tree printed %q", fields[i])
		}
		files = append(files, changedFile{Path: fields[i+1], New: meta[3]})
	}
	return files, nil
}

// objectReader reads objects through one `git cat-file --batch`.
type objectReader struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func newObjectReader(ctx context.Context) (*objectReader, error) {
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	return &objectReader{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

// read returns the content of the object name (an id, or <rev>:<path>);
// found is false when there is no such object.
func (r *objectReader) read(name string) (content []byte, found bool, err error) {
	if _, err := io.WriteString(r.in, name+"\n"); err != nil {
		return nil, false, fmt.Errorf("git cat-file: %w", err)
	}
	header, err := r.out.ReadString('\n')
	if err != nil {
		return nil, false, fmt.Errorf("git cat-file, reading %s: %w", name, err)
	}
	// "<id> <type> <size>", or "<name> missing" (or "ambiguous").
	if strings.HasSuffix(header, " missing\n") || strings.HasSuffix(header, " ambiguous\n") {
		return nil, false, nil
	}
	parts := strings.Fields(header)
	size, err := 0, fmt.Errorf("not <id> <type> <size>")
	if len(parts) == 3 {
		size, err = strconv.Atoi(parts[2])
	}
	if err != nil {
		return nil, false, fmt.Errorf("git cat-file printed %q for %s", header, name)
	}
	content = make([]byte, size+1) // and the newline after it
	if _, err := io.ReadFull(r.out, content); err != nil {
		return nil, false, fmt.Errorf("git cat-file, reading %s: %w", name, err)
	}
	return content[:size], true, nil
}

func (r *objectReader) close() {
	r.in.Close()
	r.cmd.Wait()
}
