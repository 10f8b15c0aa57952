package e2e

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// HelmReleases and Kustomizations together, as Flux repositories have them:
// each may wait for the other, and a Kustomization applies HelmReleases.
func TestHelmReleasesWithKustomizations(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	charts := helmrepotest.New(t, "e2e", password, false)
	charts.PublishChart(t, workloadChart("app", "1.0.0"))
	for _, feature := range []struct {
		name string
		test func(t *testing.T, app *kustomizeApp, chartsURL string)
	}{
		{"a HelmRelease waits for the Kustomization it dependsOn, and a Kustomization for the HelmRelease it dependsOn", testReleaseAndKustomizationWaitForEachOther},
		{"a Flux repository moved over by its apiVersions alone: a Kustomization acting as the tenant applies a HelmRepository and a HelmRelease", testFluxRepositoryWithAHelmReleaseMovedOver},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			app := newKustomizeApp(t, server, password)
			createBasicAuthSecret(t, app.ns, "helm-auth", "e2e", password)
			feature.test(t, app, charts.URL)
		})
	}
}

func testReleaseAndKustomizationWaitForEachOther(t *testing.T, app *kustomizeApp, chartsURL string) {
	revision := app.push(t, map[string]string{
		"before/config.yaml": configMap("before", app.ns, "first"),
		"after/config.yaml":  configMap("after", app.ns, "last"),
	})
	applyHelmRepository(t, app.ns, "charts", chartsURL, "helm-auth", "", "10m")
	applyHelmRelease(t, app.ns, "web", "  dependsOn:\n  - kind: Kustomization\n    name: before\n")
	app.applyKustomization(t, "after", "./after", "  dependsOn:\n  - kind: HelmRelease\n    name: web\n")
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=DependencyNotReady`, "helmrelease/web", "-n", app.ns)
	app.waitForNotReady(t, "after", "DependencyNotReady", "dependency 'HelmRelease/"+app.ns+"/web'")
	if exists(t, app.ns, "secret/sh.helm.release.v1.web.v1") || exists(t, app.ns, "configmap/after") {
		t.Fatal("something was installed or applied before its dependency existed")
	}

	// The first Kustomization becoming Ready wakes the release, whose
	// readiness wakes the last Kustomization.
	app.applyKustomization(t, "before", "./before", "")
	app.waitForReady(t, "before", revision)
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", app.ns)
	app.waitForReady(t, "after", revision)
	if !exists(t, app.ns, "configmap/after") {
		t.Error("the Kustomization waiting for the release is Ready without its object")
	}
}

// fluxAPIVersion matches the apiVersions of Flux's kinds, which are all
// that changes when a Flux repository moves over.
var fluxAPIVersion = regexp.MustCompile(`(?m)^apiVersion: [a-z.]+\.toolkit\.fluxcd\.io/v[0-9a-z]+$`)

func movedOver(fluxManifest string) string {
	return fluxAPIVersion.ReplaceAllString(fluxManifest, "apiVersion: gitops.io/v1alpha1")
}

func testFluxRepositoryWithAHelmReleaseMovedOver(t *testing.T, app *kustomizeApp, chartsURL string) {
	kubectl(t, "create", "serviceaccount", "tenant", "-n", app.ns)
	kubectl(t, "create", "rolebinding", "tenant-edit", "-n", app.ns, "--clusterrole=edit", "--serviceaccount="+app.ns+":tenant")
	revision := app.push(t, map[string]string{
		"tenant/kustomization.yaml": "resources:\n- charts.yaml\n- web.yaml\n",
		"tenant/charts.yaml": movedOver(fmt.Sprintf(`apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
spec:
  url: %s
  interval: 10m
  secretRef:
    name: helm-auth
`, chartsURL)),
		"tenant/web.yaml": movedOver(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 10m
  chart:
    spec:
      chart: app
      version: "1.x"
      sourceRef:
        kind: HelmRepository
        name: charts
  install:
    remediation:
      retries: 3
  values:
    replicas: 2
`),
	})
	kubectlWithInput(t, movedOver(`apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
spec:
  interval: 10m
  path: ./tenant
  prune: true
  wait: true
  timeout: 3m
  targetNamespace: `+app.ns+`
  serviceAccountName: tenant
  sourceRef:
    kind: GitRepository
    name: app
`), "apply", "-n", app.ns, "-f", "-")

	// wait: the Kustomization is Ready once the HelmRelease it applied is.
	app.waitForReady(t, "tenant", revision)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", app.ns)
	kubectlWait(t, time.Minute, "--for=condition=Available", "deployment/web", "-n", app.ns)
	tenant := "system:serviceaccount:" + app.ns + ":tenant"
	if owner := kubectl(t, "get", "helmrelease", "web", "-n", app.ns, "-o", "jsonpath={.status.owner.username}"); owner != tenant {
		t.Errorf("the applied HelmRelease is owned by %q, want the Kustomization's ServiceAccount %s", owner, tenant)
	}
	if got := kubectl(t, "get", "deployment", "web", "-n", app.ns, "-o", "jsonpath={.spec.replicas}"); got != "2" {
		t.Errorf("the release's Deployment has %s replicas, want the values' 2", got)
	}
}
