package e2e

import (
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// The crds policies: install creates the CRDs of the chart's crds/ by
// default or skips them; upgrade leaves them by default or replaces them
// with CreateReplace.
func testCRDPoliciesOnInstallAndUpgrade(t *testing.T, ns string) {
	crdsRelease := func(name, chart, version, extra string) string {
		return strings.Replace(helmReleaseManifest(name, extra), "chart: app", "chart: "+chart+"\n      version: "+version, 1)
	}
	kubectlWithInput(t, crdsRelease("skipped", "crds-skipped", "1.0.0", "  install:\n    crds: Skip\n"), "apply", "-n", ns, "-f", "-")
	kubectlWithInput(t, crdsRelease("created", "crds", "1.0.0", ""), "apply", "-n", ns, "-f", "-")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/skipped", "helmrelease/created", "-n", ns)
	if exists(t, "", "crd/widgets.skipped.e2e.gitops.io") {
		t.Error("install with crds: Skip created the chart's CRD")
	}
	if got := crdMarker(t, "widgets.created.e2e.gitops.io"); got != "1.0.0" {
		t.Errorf("the CRD made on install is of chart %q, want 1.0.0", got)
	}

	// Upgrading to 2.0.0 leaves the CRD by default...
	kubectlWithInput(t, crdsRelease("created", "crds", "2.0.0", ""), "apply", "-n", ns, "-f", "-")
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].chartVersion}=2.0.0", "helmrelease/created", "-n", ns)
	if got := crdMarker(t, "widgets.created.e2e.gitops.io"); got != "1.0.0" {
		t.Errorf("an upgrade with the default crds policy changed the CRD to chart %q's", got)
	}
	// ...and replaces it with CreateReplace (a force, as the chart is the same).
	kubectlWithInput(t, crdsRelease("created", "crds", "2.0.0", "  upgrade:\n    crds: CreateReplace\n"), "apply", "-n", ns, "-f", "-")
	requestWith(t, ns, "created", "reconcile.fluxcd.io/forceAt", "crds-1")
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=3", "helmrelease/created", "-n", ns)
	if got := crdMarker(t, "widgets.created.e2e.gitops.io"); got != "2.0.0" {
		t.Errorf("an upgrade with crds: CreateReplace left the CRD of chart %q, want 2.0.0", got)
	}
}

// crdMarker is the chart version that wrote CRD name.
func crdMarker(t *testing.T, name string) string {
	t.Helper()
	return kubectl(t, "get", "crd", name, "-o", `jsonpath={.metadata.annotations.e2e\.gitops\.io/chart}`)
}

// crdsChart is chart name of one ConfigMap and, in crds/, the CRD of
// widgets in group, annotated with the chart's version.
func crdsChart(name, version, group string) *chart.Chart {
	c := &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: name, Version: version, Type: "application"},
		Templates: []*common.File{{Name: "templates/configmap.yaml", Data: []byte(
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n")}},
	}
	c.Files = append(c.Files, &common.File{Name: "crds/widgets.yaml", Data: []byte(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.` + group + `
  annotations:
    e2e.gitops.io/chart: "` + version + `"
spec:
  group: ` + group + `
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`)})
	return c
}
