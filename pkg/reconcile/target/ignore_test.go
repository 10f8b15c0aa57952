package target

import (
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestIgnoreRulesTargetObjects(t *testing.T) {
	rules, err := IgnoreRules([]v1alpha1.IgnoreRule{
		{Paths: []string{"/spec/replicas"}},
		{Paths: []string{"/data/greeting"}, Target: &v1alpha1.Selector{Kind: "ConfigMap", Name: "web", LabelSelector: "app=web"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].Selector != nil || rules[1].Selector == nil ||
		rules[1].Selector.Kind != "ConfigMap" || rules[1].Selector.Name != "web" || rules[1].Selector.LabelSelector != "app=web" ||
		rules[1].Paths[0] != "/data/greeting" {
		t.Errorf("rules %+v", rules)
	}
	if _, err := IgnoreRules([]v1alpha1.IgnoreRule{{Paths: []string{"/data"}, Target: &v1alpha1.Selector{Name: "web("}}}); err == nil {
		t.Error("a target name that is no regular expression is accepted")
	}
}
