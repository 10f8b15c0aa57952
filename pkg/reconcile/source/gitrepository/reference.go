package gitrepository

import (
	"github.com/go-git/go-git/v5/plumbing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// defaultBranch is Flux's branch for a GitRepository without ref.
const defaultBranch = "master"

// wantedRef is spec.ref reduced to what is checked out. As in Flux, the
// most specific field wins: commit, then name, semver, tag, branch.
type wantedRef struct {
	// branch, tag, semver or name: one of them, or branch with commit.
	branch, tag, semver, name string
	commit                    string
}

func wantedRefOf(obj *v1alpha1.GitRepository) wantedRef {
	ref := obj.Spec.Reference
	if ref == nil {
		return wantedRef{branch: defaultBranch}
	}
	switch {
	case ref.Commit != "":
		return wantedRef{commit: ref.Commit, branch: ref.Branch}
	case ref.Name != "":
		return wantedRef{name: ref.Name}
	case ref.SemVer != "":
		return wantedRef{semver: ref.SemVer}
	case ref.Tag != "":
		return wantedRef{tag: ref.Tag}
	case ref.Branch != "":
		return wantedRef{branch: ref.Branch}
	}
	return wantedRef{branch: defaultBranch}
}

// remoteRevision is a resolved reference: which ref to fetch and which
// commit it points at.
type remoteRevision struct {
	// refName is fetched; empty for a commit without branch, which needs
	// every branch.
	refName plumbing.ReferenceName
	// label is what the revision is known as: branch, tag or ref name.
	label  string
	commit plumbing.Hash
	// tag is the annotated tag object checked out through; zero otherwise.
	tag plumbing.Hash
}

// String is Flux's revision format: 'main@sha1:<sha>', or 'sha1:<sha>' for
// a commit without a branch.
func (r remoteRevision) String() string {
	if r.label == "" {
		return "sha1:" + r.commit.String()
	}
	return r.label + "@sha1:" + r.commit.String()
}
