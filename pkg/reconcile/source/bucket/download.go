package bucket

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/minio/minio-go/v7"
	"golang.org/x/sync/errgroup"
)

// parallelDownloads is how many objects of one bucket are downloaded at a
// time: enough to hide latency, few enough to keep the server's footprint
// small.
const parallelDownloads = 4

// download writes every object of idx to dir under its key. The index is
// brought up to date with what was downloaded, so that the revision
// describes the files: an object changed since the listing gets its new
// ETag, one deleted since is dropped.
func download(ctx context.Context, client *minio.Client, bucketName string, idx objectIndex, dir string) error {
	var mu sync.Mutex
	group, ctx := errgroup.WithContext(ctx)
	group.SetLimit(parallelDownloads)
	// The keys are taken first: the downloads update idx as they finish.
	for _, key := range slices.Sorted(maps.Keys(idx)) {
		group.Go(func() error {
			etag, err := downloadObject(ctx, client, bucketName, key, filepath.Join(dir, filepath.FromSlash(key)))
			var resp minio.ErrorResponse
			if errors.As(err, &resp) && resp.Code == minio.NoSuchKey {
				etag, err = "", nil
			}
			if err != nil {
				return bucketError(err, bucketName, fmt.Sprintf("downloading '%s' of bucket '%s'", key, bucketName))
			}
			mu.Lock()
			defer mu.Unlock()
			if etag == "" {
				delete(idx, key)
			} else {
				idx[key] = etag
			}
			return nil
		})
	}
	return group.Wait()
}

// downloadObject writes one object to path and returns its ETag.
func downloadObject(ctx context.Context, client *minio.Client, bucketName, key, path string) (string, error) {
	object, err := client.GetObject(ctx, bucketName, key, minio.GetObjectOptions{})
	if err != nil {
		return "", err
	}
	defer object.Close()
	info, err := object.Stat()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	file, err := os.Create(path)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(file, object)
	if closeErr := file.Close(); err == nil {
		err = closeErr
	}
	return info.ETag, err
}
