package e2e

import (
	"slices"
	"strings"
	"testing"
)

// The kinds of gitops.io/v1alpha1 with their resource names, short names and
// sample manifest in testdata/<kind, lower case>.yaml.
var allKinds = []struct {
	kind, resource, shortName string
}{
	{"GitRepository", "gitrepositories", "gitrepo"},
	{"OCIRepository", "ocirepositories", "ocirepo"},
	{"HelmRepository", "helmrepositories", "helmrepo"},
	{"HelmChart", "helmcharts", "hc"},
	{"Bucket", "buckets", ""},
	{"Kustomization", "kustomizations", "ks"},
	{"HelmRelease", "helmreleases", "hr"},
	{"Provider", "providers", ""},
	{"Alert", "alerts", ""},
	{"Receiver", "receivers", ""},
	{"ImageRepository", "imagerepositories", "imagerepo"},
	{"ImagePolicy", "imagepolicies", "imagepol"},
	{"ImageUpdateAutomation", "imageupdateautomations", "iua"},
}

func TestAPIResourcesListsThirteenKinds(t *testing.T) {
	out := kubectl(t, "api-resources", "--api-group=gitops.io", "--no-headers", "-o", "wide")
	rows := map[string][]string{} // kind -> columns
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 5 {
			t.Fatalf("unexpected api-resources line %q", line)
		}
		// NAME SHORTNAMES? APIVERSION NAMESPACED KIND VERBS CATEGORIES
		for i, f := range fields {
			if f == "gitops.io/v1alpha1" && i+2 < len(fields) {
				rows[fields[i+2]] = fields
			}
		}
	}
	if len(rows) != 13 {
		t.Errorf("kubectl api-resources lists %d gitops.io kinds, want 13:\n%s", len(rows), out)
	}
	for _, k := range allKinds {
		row, ok := rows[k.kind]
		if !ok {
			t.Errorf("%s is missing from kubectl api-resources:\n%s", k.kind, out)
			continue
		}
		if row[0] != k.resource {
			t.Errorf("%s is served as %q, want %q", k.kind, row[0], k.resource)
		}
		if !slices.Contains(row, "true") {
			t.Errorf("%s is not namespaced: %v", k.kind, row)
		}
		if k.shortName != "" && !strings.Contains(","+row[1]+",", ","+k.shortName+",") {
			t.Errorf("%s has short names %q, want %q among them", k.kind, row[1], k.shortName)
		}
		if !strings.Contains(row[len(row)-1], "gitops") {
			t.Errorf("%s is not in the gitops category: %v", k.kind, row)
		}
	}
}

func TestExplainDescribesSourceRef(t *testing.T) {
	out := kubectl(t, "explain", "kustomization.spec.sourceRef")
	for _, want := range []string{"KIND:", "Kustomization", "gitops.io", "FIELD: sourceRef", "kind", "name"} {
		if !strings.Contains(out, want) {
			t.Errorf("kubectl explain kustomization.spec.sourceRef lacks %q:\n%s", want, out)
		}
	}
}
