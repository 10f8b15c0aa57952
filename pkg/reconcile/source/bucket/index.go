package bucket

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/minio/minio-go/v7"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// objectIndex maps the key of every object that goes into the artifact to
// its ETag. It is what the bucket holds, without downloading anything.
type objectIndex map[string]string

// revision is Flux's revision of a bucket: the sha256 digest of the index
// as sorted "<key> <etag>" lines. Any added, removed or changed object
// changes it.
func (idx objectIndex) revision() string {
	hash := sha256.New()
	for _, key := range slices.Sorted(maps.Keys(idx)) {
		fmt.Fprintf(hash, "%s %s\n", key, idx[key])
	}
	return "sha256:" + hex.EncodeToString(hash.Sum(nil))
}

// listIndex lists the objects under spec.prefix, leaving out folder
// placeholders (keys ending in "/"), the bucket's ignore file and what
// ignore matches.
func listIndex(ctx context.Context, client *minio.Client, obj *v1alpha1.Bucket, ignore gitignore.Matcher) (objectIndex, error) {
	name := obj.Spec.BucketName
	idx := objectIndex{}
	for object := range client.ListObjectsIter(ctx, name, minio.ListObjectsOptions{Prefix: obj.Spec.Prefix, Recursive: true}) {
		if object.Err != nil {
			return nil, bucketError(object.Err, name, fmt.Sprintf("listing objects of bucket '%s'", name))
		}
		key := object.Key
		if strings.HasSuffix(key, "/") || key == source.IgnoreFile || ignore.Match(strings.Split(key, "/"), false) {
			continue
		}
		// A key such as "../x" would be written outside the download folder.
		if !filepath.IsLocal(filepath.FromSlash(key)) {
			return nil, source.FetchFailed(v1alpha1.BucketOperationFailedReason,
				"bucket '%s' has object '%s', whose key is not a relative path", name, key)
		}
		idx[key] = object.ETag
	}
	return idx, nil
}
