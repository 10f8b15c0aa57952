package gitrepository

import (
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// newSigningKey returns an OpenPGP key and its public half, armored as a
// verification Secret holds it.
func newSigningKey(t *testing.T, name string) (*openpgp.Entity, string) {
	t.Helper()
	entity, err := openpgp.NewEntity(name, "", name+"@example.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	var public strings.Builder
	w, err := armor.Encode(&public, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := entity.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return entity, public.String()
}

// signedCommit commits a file signed by key (nil: unsigned) and returns its SHA.
func (r *remoteRepo) signedCommit(key *openpgp.Entity, name, content string) string {
	r.t.Helper()
	r.commit(map[string]string{name: content}) // stages and commits unsigned...
	repo, err := git.PlainOpen(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	worktree, err := repo.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	// ...then amends nothing but the signature, with go-git.
	hash, err := worktree.Commit("signed change", &git.CommitOptions{
		Amend:   true,
		SignKey: key,
		Author:  &object.Signature{Name: "test", Email: "test@example.com", When: time.Now()},
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return hash.String()
}

func (r *remoteRepo) signedTag(key *openpgp.Entity, tag string) {
	r.t.Helper()
	repo, err := git.PlainOpen(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	_, err = repo.CreateTag(tag, head.Hash(), &git.CreateTagOptions{
		Message: "release " + tag,
		SignKey: key,
		Tagger:  &object.Signature{Name: "test", Email: "test@example.com", When: time.Now()},
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

// checkoutOf fetches ref of remote the way the reconciler does.
func checkoutOf(t *testing.T, remote *remoteRepo, ref v1alpha1.GitRepositoryRef) (string, remoteRevision) {
	t.Helper()
	return checkoutURL(t, remote.url(), ref)
}

// checkoutURL fetches ref of the repository at url the way the reconciler
// does, into a directory it returns.
func checkoutURL(t *testing.T, url string, ref v1alpha1.GitRepositoryRef) (string, remoteRevision) {
	t.Helper()
	obj := gitRepository(url, &ref)
	u, err := parseURL(obj.Spec.URL, true)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := resolveRevision(t.Context(), u.String(), credentials{}, wantedRefOf(obj))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if rev, err = checkout(t.Context(), dir, u, credentials{}, rev, false, nil); err != nil {
		t.Fatal(err)
	}
	return dir, rev
}

func TestSignedCommitIsVerifiedWithTheTrustedKeyOnly(t *testing.T) {
	trusted, trustedPublic := newSigningKey(t, "trusted")
	_, otherPublic := newSigningKey(t, "other")
	remote := newRemoteRepo(t)
	remote.signedCommit(trusted, "a.yaml", "a")
	dir, rev := checkoutOf(t, remote, v1alpha1.GitRepositoryRef{Branch: "main"})

	if err := verifyRevision(dir, rev, v1alpha1.GitVerifyHEAD, []string{otherPublic, trustedPublic}); err != nil {
		t.Errorf("a commit signed by a trusted key: %v", err)
	}
	err := verifyRevision(dir, rev, v1alpha1.GitVerifyHEAD, []string{otherPublic})
	if se := outcome.Of(err, v1alpha1.GitOperationFailedReason); err == nil || se.Reason != v1alpha1.InvalidCommitSignatureReason || se.Condition != source.SourceVerifiedCondition {
		t.Errorf("a commit signed by an untrusted key: %v", err)
	}
}

func TestUnsignedCommitFailsVerification(t *testing.T) {
	_, public := newSigningKey(t, "trusted")
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"a.yaml": "a"})
	dir, rev := checkoutOf(t, remote, v1alpha1.GitRepositoryRef{Branch: "main"})
	if err := verifyRevision(dir, rev, v1alpha1.GitVerifyHEAD, []string{public}); err == nil {
		t.Error("an unsigned commit passed verification")
	}
}

func TestSignedTagIsVerified(t *testing.T) {
	trusted, public := newSigningKey(t, "trusted")
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"a.yaml": "a"}) // unsigned commit, signed tag
	remote.signedTag(trusted, "v1.0.0")
	dir, rev := checkoutOf(t, remote, v1alpha1.GitRepositoryRef{Tag: "v1.0.0"})
	if rev.tag.IsZero() || rev.tag == rev.commit {
		t.Fatalf("the annotated tag object is not recorded: %+v", rev)
	}
	if err := verifyRevision(dir, rev, v1alpha1.GitVerifyTag, []string{public}); err != nil {
		t.Errorf("a tag signed by a trusted key: %v", err)
	}
	if err := verifyRevision(dir, rev, v1alpha1.GitVerifyTagAndHEAD, []string{public}); err == nil {
		t.Error("TagAndHEAD passed with an unsigned commit")
	}
	branchDir, branchRev := checkoutOf(t, remote, v1alpha1.GitRepositoryRef{Branch: "main"})
	err := verifyRevision(branchDir, branchRev, v1alpha1.GitVerifyTag, []string{public})
	if err == nil || !strings.Contains(err.Error(), "annotated tag") {
		t.Errorf("Tag mode on a branch: %v, want a failure asking for an annotated tag", err)
	}
}
