package helmrelease

import (
	"bytes"
	"fmt"

	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/kube"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// crdsPolicy is the crds field, else the deprecated skipCRDs, else def:
// Create on install, Skip on upgrade, as Flux.
func crdsPolicy(policy v1alpha1.CRDsPolicy, skipCRDs bool, def v1alpha1.CRDsPolicy) v1alpha1.CRDsPolicy {
	switch {
	case policy != "":
		return policy
	case skipCRDs:
		return v1alpha1.CRDsSkip
	}
	return def
}

// applyCRDs applies the CRDs of the chart's crds/ directories: with
// Create only those the cluster lacks, with CreateReplace all of them,
// over what is there (server-side apply, taking over conflicting fields).
func applyCRDs(helm *action.Configuration, c *chart.Chart, policy v1alpha1.CRDsPolicy) error {
	for _, crd := range c.CRDObjects() {
		resources, err := helm.KubeClient.Build(bytes.NewBuffer(crd.File.Data), false)
		if err != nil {
			return fmt.Errorf("CRD %s: %w", crd.Filename, err)
		}
		var apply kube.ResourceList
		for _, info := range resources {
			if policy == v1alpha1.CRDsCreate {
				if err := info.Get(); err == nil {
					continue
				} else if !apierrors.IsNotFound(err) {
					return fmt.Errorf("CRD %s: %w", crd.Filename, err)
				}
			}
			apply = append(apply, info)
		}
		if len(apply) == 0 {
			continue
		}
		if _, err := helm.KubeClient.Create(apply, kube.ClientCreateOptionServerSideApply(true, true)); err != nil {
			return fmt.Errorf("CRD %s: %w", crd.Filename, err)
		}
	}
	return nil
}
