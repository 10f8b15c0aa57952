package gitrepo

import (
	"io"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Author is who a commit is attributed to.
type Author struct {
	Name  string
	Email string
}

// NewCommit describes a commit to write.
type NewCommit struct {
	Tree    plumbing.Hash
	Parents []plumbing.Hash
	Author  Author
	// Committer defaults to Author.
	Committer *Author
	Message   string
	When      time.Time
}

// WriteCommit stores a commit object and returns its hash.
func (r *Repo) WriteCommit(c NewCommit) (plumbing.Hash, error) {
	when := c.When
	if when.IsZero() {
		when = time.Now()
	}
	committer := c.Author
	if c.Committer != nil {
		committer = *c.Committer
	}
	commit := &object.Commit{
		Author:       object.Signature{Name: c.Author.Name, Email: c.Author.Email, When: when},
		Committer:    object.Signature{Name: committer.Name, Email: committer.Email, When: when},
		Message:      c.Message,
		TreeHash:     c.Tree,
		ParentHashes: c.Parents,
	}
	obj := &plumbing.MemoryObject{}
	if err := commit.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	rd, _ := obj.Reader() // a MemoryObject's reader does not fail
	data, err := io.ReadAll(rd)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return r.store(plumbing.CommitObject, data), nil
}
