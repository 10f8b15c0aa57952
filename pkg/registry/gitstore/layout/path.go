// Package layout decides where an object lives in the storage repository and
// how it is split between the hand-written manifest on the branch and the
// server-owned state on the state ref.
package layout

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"strings"
)

const (
	// clusterDir holds cluster-scoped objects; "_" cannot start a namespace name.
	clusterDir = "_cluster"
	// otherDir holds keys that are not <resource>/<namespace>/<name> or
	// <resource>/<name> (only storage conformance tests make those).
	otherDir = "_keys"

	manifestExt = ".yaml"
	stateExt    = ".json"
)

// ManifestPath maps a storage key "/<resource>/<namespace>/<name>" to the
// branch file "<namespace>/<resource>/<name>.yaml".
func ManifestPath(key string) (string, error) {
	p, err := basePath(key)
	return p + manifestExt, err
}

// StatePath maps a storage key to its file on the state ref. Unlike the
// branch, which people read, the state ref spreads a folder's files over 256
// subfolders: every commit rewrites the trees on its paths, and small trees
// keep that cheap when a namespace holds thousands of objects.
func StatePath(key string) (string, error) {
	p, err := basePath(key)
	if err != nil {
		return "", err
	}
	dir, name := path.Split(p)
	return dir + shard(name) + "/" + name + stateExt, nil
}

func shard(name string) string {
	sum := sha1.Sum([]byte(name))
	return hex.EncodeToString(sum[:1])
}

func basePath(key string) (string, error) {
	rest, ok := strings.CutPrefix(key, "/")
	if !ok {
		return "", fmt.Errorf("key %q must start with /", key)
	}
	resource, rel, ok := strings.Cut(rest, "/")
	if !ok || !validSegment(resource) {
		return "", fmt.Errorf("key %q has no resource", key)
	}
	parts := strings.Split(rel, "/")
	switch {
	case len(parts) == 1 && validSegment(parts[0]):
		return clusterDir + "/" + resource + "/" + parts[0], nil
	case len(parts) == 2 && validSegment(parts[0]) && validSegment(parts[1]):
		return parts[0] + "/" + resource + "/" + parts[1], nil
	}
	return otherDir + "/" + resource + "/" + url.PathEscape(rel) + "%", nil
}

func validSegment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.HasPrefix(s, "_") &&
		!strings.ContainsAny(s, "%\\\x00")
}

// KeyForManifest is the inverse of ManifestPath. ok is false for files that
// are not object manifests (a README, say), which the store ignores.
func KeyForManifest(path string) (key string, ok bool) {
	base, found := strings.CutSuffix(path, manifestExt)
	if !found {
		return "", false
	}
	return keyFor(base)
}

// KeyForState is the inverse of StatePath.
func KeyForState(p string) (key string, ok bool) {
	base, found := strings.CutSuffix(p, stateExt)
	if !found {
		return "", false
	}
	dir, name := path.Split(base)
	dir, sh := path.Split(strings.TrimSuffix(dir, "/"))
	if sh != shard(name) {
		return "", false
	}
	return keyFor(dir + name)
}

func keyFor(base string) (string, bool) {
	parts := strings.Split(base, "/")
	if len(parts) != 3 || !validSegment(parts[1]) {
		return "", false
	}
	ns, resource, name := parts[0], parts[1], parts[2]
	switch {
	case ns == otherDir:
		esc, found := strings.CutSuffix(name, "%")
		rel, err := url.PathUnescape(esc)
		if !found || err != nil {
			return "", false
		}
		return "/" + resource + "/" + rel, true
	case !validSegment(name):
		return "", false
	case ns == clusterDir:
		return "/" + resource + "/" + name, true
	case validSegment(ns):
		return "/" + resource + "/" + ns + "/" + name, true
	}
	return "", false
}
