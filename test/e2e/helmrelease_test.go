package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// The HelmRelease reconciler: releases of a chart from a Helm repository
// on loopback, installed with Helm 4 into the real cluster, where kwok runs
// the Deployment's Pods.
func TestHelmReleaseReconciler(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	charts := helmrepotest.New(t, "e2e", password, false)
	charts.PublishChart(t, workloadChart("app", "1.0.0"))
	charts.PublishChart(t, clusterAdminChart("escalate", "1.0.0"))
	charts.PublishChart(t, testedChart("tested", "1.0.0"))
	charts.PublishChart(t, crdsChart("crds", "1.0.0", "created.e2e.gitops.io"))
	charts.PublishChart(t, crdsChart("crds", "2.0.0", "created.e2e.gitops.io"))
	charts.PublishChart(t, crdsChart("crds-skipped", "1.0.0", "skipped.e2e.gitops.io"))
	showServerLogOnFailure(t, password)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, ns string)
	}{
		{"installs from a HelmRepository via spec.chart: HelmChart, release Secret, Available Deployment, InstallSucceeded, history, origin labels", testReleaseInstalledFromChartTemplate},
		{"a values change inline, then in a valuesFrom ConfigMap alone, upgrades to release versions 2 and 3", testReleaseUpgradedByValues},
		{"a missing valuesFrom ConfigMap is ValuesError naming it, and Ready once it is created", testReleaseWaitsForMissingValues},
		{"deleting the HelmRelease uninstalls the release and deletes its HelmChart", testReleaseUninstalledOnDeletion},
		{"a release waits for the HelmRelease it dependsOn, and is woken when that one is Ready", testReleaseWaitsForItsDependency},
		{"a namespace editor's release installs as them: a ClusterRoleBinding in its chart is forbidden", testReleaseActsAsItsOwner},
		{"a name over 53 characters with its targetNamespace is shortened as Flux's", testLongReleaseNameIsShortened},
		{"suspended, nothing is installed until resumed", testSuspendedReleaseWaitsUntilResumed},
		{"a ServiceAccount without rights is Ready False naming it forbidden, and installs once granted", testServiceAccountWithoutRightsIsForbidden},
		{"kubeConfig: a missing Secret is named; with it, the release is installed through that kubeconfig", testReleaseInstalledThroughAKubeConfigSecret},
		{"a failed upgrade is rolled back, retried once, rolled back again, stalls, and upgrades when the values change", testFailedUpgradeIsRolledBackThenStalls},
		{"a failed install is uninstalled and retried once, then stalls", testFailedInstallIsUninstalledAndRetried},
		{"tests run after install (filters apply): TestSucceeded; a failing test of an upgrade is rolled back", testReleaseIsTestedAndAFailedTestRemediated},
		{"test.ignoreFailures: a failing test of an upgrade is reported, not remediated, and the release stays Ready; without it, rolled back", testFailedTestIsIgnoredOnlyWhenAsked},
		{"forceAt with the reconcile request upgrades an in-sync release once", testForceRequestUpgradesAnInSyncRelease},
		{"a new targetNamespace uninstalls the release and installs it anew there", testMovedReleaseIsUninstalledAndInstalledAnew},
		{"switching spec.chart to chartRef deletes the template's HelmChart and keeps the release", testSwitchToChartRefDeletesTheTemplatesHelmChart},
		{"an upgrade whose Pods never become Ready times out and is uninstalled (strategy uninstall), then installed again", testUnreadyUpgradeIsUninstalled},
		{"chartRef to an OCIRepository: the chart version carries the digest, and pushing the same tag again upgrades", testReleaseFromOCIRepositoryUpgradesOnRepush},
		{"a release left pending-upgrade in Helm's storage is unlocked (marked failed) and upgraded", testPendingReleaseIsUnlockedAndUpgraded},
		{"crds: Create (install's default) and Skip on install, Skip (upgrade's default) and CreateReplace on upgrade", testCRDPoliciesOnInstallAndUpgrade},
		{"RetryOnFailure retries a failed install every retryInterval, without remediation, until the values are fixed", testRetryOnFailureRetriesAfterItsInterval},
		{"postRenderers (strategic-merge and JSON 6902 patches, an image) and commonMetadata reach the objects; changing only the postRenderers upgrades to version 2", testReleaseIsPostRendered},
		{"driftDetection enabled: an edited ConfigMap value and a deleted Service are applied again, without an upgrade", testDriftIsCorrectedWhenEnabled},
		{"driftDetection warn: Drifted True and an Event, Ready stays True and the edit stays", testDriftIsOnlyReportedWhenWarn},
		{"driftDetection ignore rules and the driftDetection: disabled label leave their fields and objects alone", testDriftIgnoreRulesAndDisabledLabelAreHonoured},
		{"--override-manager: drift correction takes back that field manager's change, removes what it added and its managed fields", testOverrideManagerIsUndoneByDriftCorrection},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
			applyHelmRepository(t, ns, "charts", charts.URL, "helm-auth", "", "10m")
			feature.test(t, ns)
		})
	}
}

func testReleaseInstalledFromChartTemplate(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  values:\n    greeting: hello\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	if reason, message := readyConditionOf(t, ns, "helmrelease/web"); reason != "InstallSucceeded" ||
		message != fmt.Sprintf("Helm install succeeded for release %s/web.v1 with chart app@1.0.0", ns) {
		t.Errorf("Ready reason %s message %q, want InstallSucceeded for release %s/web.v1 with chart app@1.0.0", reason, message, ns)
	}
	if got := conditionStatus(t, ns, "helmrelease/web", "Released"); got != "True" {
		t.Errorf("Released is %q, want True", got)
	}
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.helmChart}"); got != ns+"/"+ns+"-web" {
		t.Errorf("status.helmChart %q, want %s/%s-web", got, ns, ns)
	}
	kubectl(t, "get", "helmchart", ns+"-web", "-n", ns)
	kubectl(t, "get", "secret", "sh.helm.release.v1.web.v1", "-n", ns)
	if got := conditionStatus(t, ns, "deployment/web", "Available"); got != "True" {
		t.Errorf("the release is Ready and Deployment web has Available=%q, want True", got)
	}
	history := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o",
		`jsonpath={.status.history[0].version} {.status.history[0].status} {.status.history[0].chartName}@{.status.history[0].chartVersion} {.status.lastAttemptedReleaseAction} {.status.lastAttemptedRevision} {.status.storageNamespace}`)
	if want := "1 deployed app@1.0.0 install 1.0.0 " + ns; history != want {
		t.Errorf("status %q, want %q", history, want)
	}
	inventory := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", `jsonpath={range .status.inventory.entries[*]}{.id} {.v},{end}`)
	if want := ns + "_web__ConfigMap v1," + ns + "_web__Service v1," + ns + "_web_apps_Deployment v1,"; inventory != want {
		t.Errorf("status.inventory %q, want %q", inventory, want)
	}
	selector := "helm.toolkit.fluxcd.io/name=web,helm.toolkit.fluxcd.io/namespace=" + ns
	labelled := kubectl(t, "get", "deployment,service,configmap", "-n", ns, "-l", selector, "-o", "name")
	for _, object := range []string{"deployment.apps/web", "service/web", "configmap/web"} {
		if !strings.Contains(labelled, object) {
			t.Errorf("%s does not carry the origin labels %s; labelled are:\n%s", object, selector, labelled)
		}
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "InstallSucceeded", "Helm install succeeded for release "+ns+"/web.v1")
	waitForMetric(t, fmt.Sprintf(`gotk_reconcile_duration_seconds_count{kind="HelmRelease",name="web",namespace="%s"}`, ns))
}

func testReleaseUpgradedByValues(t *testing.T, ns string) {
	createValuesConfigMap(t, ns, "web-values", "extra: one\n")
	applyHelmRelease(t, ns, "web", "  valuesFrom:\n  - kind: ConfigMap\n    name: web-values\n  values:\n    greeting: hello\n")
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=1", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"values":{"greeting":"bonjour"}}}`)
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=2", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}=UpgradeSucceeded", "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting} {.data.extra}"); got != "bonjour one" {
		t.Errorf("release v2 rendered %q, want the new inline greeting and the ConfigMap's extra: \"bonjour one\"", got)
	}
	generation := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.metadata.generation}")

	createValuesConfigMap(t, ns, "web-values", "extra: two\n")
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=3", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting} {.data.extra}"); got != "bonjour two" {
		t.Errorf("release v3 rendered %q, want \"bonjour two\"", got)
	}
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.metadata.generation}"); got != generation {
		t.Errorf("the HelmRelease went from generation %s to %s; only its ConfigMap was to change", generation, got)
	}
	kubectl(t, "get", "secret", "sh.helm.release.v1.web.v3", "-n", ns)
}

func testReleaseWaitsForMissingValues(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  valuesFrom:\n  - kind: ConfigMap\n    name: late-values\n")
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=ValuesError`, "helmrelease/web", "-n", ns)
	if _, message := readyConditionOf(t, ns, "helmrelease/web"); !strings.Contains(message, "ConfigMap '"+ns+"/late-values' not found") {
		t.Errorf("Ready message %q does not name the missing ConfigMap %s/late-values", message, ns)
	}
	if out, err := tryKubectl(t, "", "get", "secret", "sh.helm.release.v1.web.v1", "-n", ns); err == nil {
		t.Errorf("a release was installed without its values: %s", out)
	}

	createValuesConfigMap(t, ns, "late-values", "greeting: late\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting}"); got != "late" {
		t.Errorf("the release rendered greeting %q, want the ConfigMap's \"late\"", got)
	}
}

func testReleaseUninstalledOnDeletion(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	kubectl(t, "get", "secret", "sh.helm.release.v1.web.v1", "-n", ns)
	kubectl(t, "get", "helmchart", ns+"-web", "-n", ns)

	kubectl(t, "delete", "helmrelease", "web", "-n", ns, "--timeout=2m")
	for _, object := range []string{"secret/sh.helm.release.v1.web.v1", "deployment/web", "service/web", "configmap/web", "helmchart/" + ns + "-web"} {
		kubectlWait(t, time.Minute, "--for=delete", object, "-n", ns)
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "UninstallSucceeded", "Helm uninstall succeeded for release "+ns+"/web.v1")
}

func testReleaseWaitsForItsDependency(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "frontend", "  dependsOn:\n  - name: backend\n")
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=DependencyNotReady`, "helmrelease/frontend", "-n", ns)
	if out, err := tryKubectl(t, "", "get", "secret", "sh.helm.release.v1.frontend.v1", "-n", ns); err == nil {
		t.Errorf("a release was installed before its dependency: %s", out)
	}
	applyHelmRelease(t, ns, "backend", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/backend", "-n", ns)
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/frontend", "-n", ns)
}

func testReleaseActsAsItsOwner(t *testing.T, ns string) {
	editor := "tenant-" + randomHex(t)[:8]
	bindRole(t, ns, editor, "edit", "create")
	manifest := strings.Replace(helmReleaseManifest("escalate", "  values:\n    user: "+editor+"\n"), "chart: app", "chart: escalate", 1)
	kubectlWithInput(t, manifest, "apply", "-n", ns, "-f", "-", "--as="+editor)
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].status}=False`, "helmrelease/escalate", "-n", ns)
	var message string
	if err := eventually(time.Minute, func() error {
		if _, message = readyConditionOf(t, ns, "helmrelease/escalate"); !strings.Contains(message, `is forbidden: User "`+editor+`"`) {
			return fmt.Errorf("Ready message %q does not say the editor is forbidden", message)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if exists(t, "", "clusterrolebinding/escalate-"+editor) {
		t.Error("a namespace editor's HelmRelease installed a ClusterRoleBinding")
	}
	// The server writes the HelmChart of spec.chart, owned as the release is.
	if owner := kubectl(t, "get", "helmchart", ns+"-escalate", "-n", ns, "-o", "jsonpath={.status.owner.username}"); owner != editor {
		t.Errorf("the HelmChart of the editor's release is owned by %q, want %s", owner, editor)
	}
}

// clusterAdminChart is a chart of one ClusterRoleBinding making the user of
// the values cluster-admin.
func clusterAdminChart(name, version string) *chart.Chart {
	return &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: name, Version: version, Type: "application"},
		Templates: []*common.File{{Name: "templates/binding.yaml",
			Data: []byte(clusterAdminBinding("escalate-{{ .Values.user }}", "{{ .Values.user }}"))}},
	}
}

// applyHelmRelease applies HelmRelease name of the chart app from the
// HelmRepository charts; extra is more of its spec, indented.
func applyHelmRelease(t testing.TB, ns, name, extra string) {
	t.Helper()
	kubectlWithInput(t, helmReleaseManifest(name, extra), "apply", "-n", ns, "-f", "-")
}

// helmReleaseManifest is the YAML of HelmRelease name of the chart app from
// the HelmRepository charts; extra is more of its spec, indented.
func helmReleaseManifest(name, extra string) string {
	return fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: HelmRelease
metadata:
  name: %s
spec:
  interval: 10m
  timeout: 2m
  chart:
    spec:
      chart: app
      sourceRef:
        kind: HelmRepository
        name: charts
%s`, name, extra)
}

// createValuesConfigMap creates or replaces ConfigMap name whose
// values.yaml is values.
func createValuesConfigMap(t testing.TB, ns, name, values string) {
	t.Helper()
	manifest := kubectl(t, "create", "configmap", name, "-n", ns, "--dry-run=client", "-o", "yaml",
		"--from-literal=values.yaml="+values)
	kubectlWithInput(t, manifest, "apply", "-f", "-")
}

// workloadChart is a chart of a Deployment (its Pods run on kwok's Node,
// and never become Ready with the value pod: unready), a Service and a
// ConfigMap holding the values greeting and extra.
func workloadChart(name, version string) *chart.Chart {
	file := func(name, data string) *common.File { return &common.File{Name: name, Data: []byte(data)} }
	return &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: name, Version: version, Type: "application"},
		Raw:      []*common.File{file(chartutil.ValuesfileName, "replicas: 1\ngreeting: hi\nextra: none\npod: ready\n")},
		Templates: []*common.File{
			file("templates/deployment.yaml", `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
        kwok.gitops.io/pod: {{ .Values.pod }}
    spec:
      containers:
      - name: main
        image: registry.k8s.io/pause:3.10
`),
			file("templates/service.yaml", `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    app: {{ .Release.Name }}
  ports:
  - port: 80
`),
			file("templates/configmap.yaml", `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  greeting: {{ .Values.greeting | quote }}
  extra: {{ .Values.extra | quote }}
`),
		},
	}
}
