package e2e

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A release left pending-upgrade (as when the server stopped in the middle
// of an upgrade) is unlocked, marked failed, and upgraded, rather than
// refused with "another operation is in progress".
func testPendingReleaseIsUnlockedAndUpgraded(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"suspend":true}}`)

	// Revision 2, as Helm's Secret driver stores it, stuck pending-upgrade.
	release := readHelmRelease(t, ns, "sh.helm.release.v1.web.v1")
	release["version"] = 2
	info := release["info"].(map[string]any)
	info["status"], info["description"] = "pending-upgrade", "Preparing upgrade"
	writeHelmRelease(t, ns, "web", 2, "pending-upgrade", release)

	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"suspend":false}}`)
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=3", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, `--for=jsonpath={.status.history[0].status}=deployed`, "helmrelease/web", "-n", ns)
	unlocked := readHelmRelease(t, ns, "sh.helm.release.v1.web.v2")["info"].(map[string]any)
	if unlocked["status"] != "failed" || !strings.Contains(unlocked["description"].(string), "pending-upgrade") {
		t.Errorf("revision 2 is %v (%v), want failed, unlocked from pending-upgrade", unlocked["status"], unlocked["description"])
	}
}

// readHelmRelease decodes the release in Helm storage Secret name: base64,
// gzip, JSON, under the Secret's own base64.
func readHelmRelease(t *testing.T, ns, name string) map[string]any {
	t.Helper()
	data := kubectl(t, "get", "secret", name, "-n", ns, "-o", "jsonpath={.data.release}")
	inner, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	zipped, err := base64.StdEncoding.DecodeString(string(inner))
	if err != nil {
		t.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	var release map[string]any
	if err := json.Unmarshal(plain, &release); err != nil {
		t.Fatal(err)
	}
	return release
}

// writeHelmRelease stores release as revision version of release name, as
// Helm's Secret driver does.
func writeHelmRelease(t *testing.T, ns, name string, version int, status string, release map[string]any) {
	t.Helper()
	plain, err := json.Marshal(release)
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	w := gzip.NewWriter(&zipped)
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	secret, err := json.Marshal(map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
		"metadata": map[string]any{
			"name": "sh.helm.release.v1." + name + ".v" + strconv.Itoa(version), "namespace": ns,
			"labels": map[string]string{"name": name, "owner": "helm", "status": status, "version": strconv.Itoa(version)},
		},
		"data": map[string]string{"release": base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString(zipped.Bytes())))},
	})
	if err != nil {
		t.Fatal(err)
	}
	kubectlWithInput(t, string(secret), "create", "-f", "-")
}
