package ocirepository

import (
	"regexp"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// defaultTag is pulled when spec.ref names nothing.
const defaultTag = "latest"

// revision is a manifest in the registry, and the tag it was found by
// (none for a digest ref).
type revision struct {
	tag    string
	digest v1.Hash
}

// String is Flux's artifact revision: '<tag>@sha256:<hex>', or the digest
// alone for a digest ref.
func (r revision) String() string {
	if r.tag == "" {
		return r.digest.String()
	}
	return r.tag + "@" + r.digest.String()
}

// resolveRevision asks the registry which manifest spec.ref means. A digest
// wins over a semver range, which wins over a tag.
func resolveRevision(repo name.Repository, ref *v1alpha1.OCIRepositoryRef, access registryAccess) (revision, error) {
	if ref == nil {
		ref = &v1alpha1.OCIRepositoryRef{}
	}
	switch {
	case ref.Digest != "":
		digest, err := v1.NewHash(ref.Digest)
		if err != nil {
			return revision{}, source.Stalled(v1alpha1.URLInvalidReason, "spec.ref.digest '%s' is not sha256:<hex>: %v", ref.Digest, err)
		}
		// Ask anyway: a digest the registry does not have is a failure.
		_, err = headDigest(repo.Digest(digest.String()), access)
		return revision{digest: digest}, err
	case ref.SemVer != "":
		tag, err := highestMatchingTag(repo, ref.SemVer, ref.SemverFilter, access)
		if err != nil {
			return revision{}, err
		}
		digest, err := headDigest(repo.Tag(tag), access)
		return revision{tag: tag, digest: digest}, err
	default:
		tag := ref.Tag
		if tag == "" {
			tag = defaultTag
		}
		digest, err := headDigest(repo.Tag(tag), access)
		return revision{tag: tag, digest: digest}, err
	}
}

// headDigest is the digest of the manifest ref names. HEAD is cheap but
// carries no error details, so a failed HEAD is asked again with GET.
func headDigest(ref name.Reference, access registryAccess) (v1.Hash, error) {
	if desc, err := remote.Head(ref, access.options...); err == nil {
		return desc.Digest, nil
	}
	desc, err := remote.Get(ref, access.options...)
	if err != nil {
		return v1.Hash{}, registryError(err, "failed to determine artifact digest of '%s'", ref)
	}
	return desc.Digest, nil
}

// highestMatchingTag lists repo's tags and returns the highest version in
// the semver range, among the tags that match filter when it is set.
func highestMatchingTag(repo name.Repository, rangeText, filter string, access registryAccess) (string, error) {
	constraint, err := semver.NewConstraint(rangeText)
	if err != nil {
		return "", source.Stalled(v1alpha1.URLInvalidReason, "spec.ref.semver '%s' is not a version range: %v", rangeText, err)
	}
	var tagFilter *regexp.Regexp
	if filter != "" {
		if tagFilter, err = regexp.Compile(filter); err != nil {
			return "", source.Stalled(v1alpha1.URLInvalidReason, "spec.ref.semverFilter '%s' is not a regular expression: %v", filter, err)
		}
	}
	tags, err := remote.List(repo, access.options...)
	if err != nil {
		return "", registryError(err, "failed to list the tags of '%s'", repo)
	}
	var best *semver.Version
	var bestTag string
	for _, tag := range tags {
		if tagFilter != nil && !tagFilter.MatchString(tag) {
			continue
		}
		v, err := semver.NewVersion(tag)
		if err != nil || !constraint.Check(v) {
			continue
		}
		if best == nil || v.GreaterThan(best) {
			best, bestTag = v, tag
		}
	}
	if best == nil {
		return "", source.FetchFailed(v1alpha1.OCIPullFailedReason, "no tag of '%s' matches semver '%s'", repo, rangeText)
	}
	return bestTag, nil
}
