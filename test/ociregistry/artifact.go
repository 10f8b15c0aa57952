package ociregistry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"maps"
	"slices"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Flux's media types of OCI artifacts made by `flux push artifact`.
const (
	ContentMediaType types.MediaType = "application/vnd.cncf.flux.content.v1.tar+gzip"
	ConfigMediaType  types.MediaType = "application/vnd.cncf.flux.config.v1+json"
)

// Artifact is an OCI image manifest with Flux's config media type, the
// layers given and the annotations.
func Artifact(t testing.TB, annotations map[string]string, layers ...v1.Layer) v1.Image {
	t.Helper()
	image := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), ConfigMediaType)
	image, err := mutate.AppendLayers(image, layers...)
	if err != nil {
		t.Fatal(err)
	}
	if len(annotations) > 0 {
		image = mutate.Annotations(image, annotations).(v1.Image)
	}
	return image
}

// FilesLayer is a layer of Flux's content media type: a tar.gz of files
// (path → content), in path order.
func FilesLayer(t testing.TB, files map[string]string) v1.Layer {
	t.Helper()
	return static.NewLayer(TarGz(t, files), ContentMediaType)
}

// TarGz is a tar.gz of files (path → content), in path order.
func TarGz(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, path := range slices.Sorted(maps.Keys(files)) {
		content := files[path]
		err := tw.WriteHeader(&tar.Header{Name: path, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg})
		if err == nil {
			_, err = tw.Write([]byte(content))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
