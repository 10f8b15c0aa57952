package bucket

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/minio/minio-go/v7"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// maxIgnoreFileSize bounds the ignore file read from a bucket: patterns,
// not data.
const maxIgnoreFileSize = 1 << 20

// ignoreMatcher says which keys stay out of the artifact, as Flux does for
// buckets: the patterns of the .sourceignore object at the root of the
// bucket, then spec.ignore (gitignore syntax), which has the last word.
// Unlike GitRepositories, there are no default patterns.
func ignoreMatcher(ctx context.Context, client *minio.Client, obj *v1alpha1.Bucket) (gitignore.Matcher, error) {
	text, err := readIgnoreFile(ctx, client, obj.Spec.BucketName)
	if err != nil {
		return nil, err
	}
	patterns := source.ParseIgnore(text, nil)
	if obj.Spec.Ignore != nil {
		patterns = append(patterns, source.ParseIgnore(*obj.Spec.Ignore, nil)...)
	}
	return gitignore.NewMatcher(patterns), nil
}

// readIgnoreFile returns the bucket's .sourceignore, "" when it has none.
func readIgnoreFile(ctx context.Context, client *minio.Client, bucketName string) (string, error) {
	object, err := client.GetObject(ctx, bucketName, source.IgnoreFile, minio.GetObjectOptions{})
	if err == nil {
		defer object.Close()
		var data []byte
		data, err = io.ReadAll(io.LimitReader(object, maxIgnoreFileSize))
		if err == nil {
			return string(data), nil
		}
	}
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && resp.Code == minio.NoSuchKey {
		return "", nil
	}
	return "", bucketError(err, bucketName, fmt.Sprintf("reading '%s' of bucket '%s'", source.IgnoreFile, bucketName))
}
