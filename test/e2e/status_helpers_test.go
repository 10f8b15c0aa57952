package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// Reading what the reconcilers report, for every kind: Events, metrics,
// conditions and artifacts.

// waitForEvent waits for an Event about GitRepository name with reason and
// a message containing text.
func waitForEvent(t *testing.T, ns, name, reason, text string) {
	t.Helper()
	waitForEventOf(t, ns, "GitRepository", name, reason, text)
}

// waitForEventOf waits for an Event about the object with reason and a
// message containing text.
func waitForEventOf(t *testing.T, ns, kind, name, reason, text string) {
	t.Helper()
	err := eventually(30*time.Second, func() error {
		out := kubectl(t, "get", "events", "-n", ns, "--field-selector",
			"involvedObject.kind="+kind+",involvedObject.name="+name+",reason="+reason,
			"-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")
		if !strings.Contains(out, text) {
			return fmt.Errorf("no %s Event for %s %s/%s saying %q; have:\n%s", reason, kind, ns, name, text, out)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// waitForMetric waits until the server's /metrics has a line starting with series.
func waitForMetric(t *testing.T, series string) {
	t.Helper()
	client := serverClient(t)
	err := eventually(10*time.Second, func() error {
		for _, line := range strings.Split(get(t, client, "/metrics"), "\n") {
			if strings.HasPrefix(line, series+" ") {
				return nil
			}
		}
		return fmt.Errorf("/metrics has no %s", series)
	})
	if err != nil {
		t.Error(err)
	}
}

type artifactInfo struct{ revision, digest, url string }

func artifactStatus(t *testing.T, ns, name string) artifactInfo {
	t.Helper()
	return artifactStatusOf(t, ns, "gitrepository/"+name)
}

// artifactStatusOf reads status.artifact of a source object (resource/name).
func artifactStatusOf(t *testing.T, ns, object string) artifactInfo {
	t.Helper()
	out := kubectl(t, "get", object, "-n", ns, "-o",
		`jsonpath={.status.artifact.revision} {.status.artifact.digest} {.status.artifact.url}`)
	fields := strings.Fields(out)
	if len(fields) != 3 || !strings.HasPrefix(fields[1], "sha256:") || len(fields[1]) != len("sha256:")+64 {
		t.Fatalf("status.artifact of %s in %s is %q; want revision, sha256 digest and url", object, ns, out)
	}
	return artifactInfo{fields[0], fields[1], fields[2]}
}

func readyCondition(t *testing.T, ns, name string) (reason, message string) {
	t.Helper()
	return readyConditionOf(t, ns, "gitrepository/"+name)
}

// readyConditionOf returns the reason and message of the Ready condition of
// object (resource/name).
func readyConditionOf(t *testing.T, ns, object string) (reason, message string) {
	t.Helper()
	// One read, so reason and message come from the same status; a reason
	// has no newline, a message may.
	out := kubectl(t, "get", object, "-n", ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Ready")].reason}{"\n"}{.status.conditions[?(@.type=="Ready")].message}`)
	reason, message, _ = strings.Cut(out, "\n")
	return reason, message
}

func artifactBytes(t *testing.T, a artifactInfo, user string) []byte {
	t.Helper()
	data, err := kubectlRaw(t, a.url, user)
	if err != nil {
		t.Fatalf("kubectl get --raw %s: %v", a.url, err)
	}
	return data
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// tarFiles lists the entries of a tar.gz in order.
func tarFiles(t *testing.T, data []byte) []string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("artifact is not gzip: %v", err)
	}
	var names []string
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatalf("artifact is not a tar: %v", err)
		}
		names = append(names, h.Name)
	}
}

// tarFileContent returns the content of one file of a tar.gz.
func tarFileContent(t *testing.T, data []byte, name string) string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("artifact is not gzip: %v", err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("no %s in the artifact: %v", name, err)
		}
		if h.Name == name {
			content, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return string(content)
		}
	}
}
