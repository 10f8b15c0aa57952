package validation

import (
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Valid objects in the shape of Flux's documentation examples. Each test
// breaks one field and expects an error at that field's path.

func meta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: "flux-system"}
}

func every(d time.Duration) v1alpha1.Duration { return v1alpha1.Duration{Duration: d} }

func durationPtr(d time.Duration) *v1alpha1.Duration { return &v1alpha1.Duration{Duration: d} }

func validGitRepository() *v1alpha1.GitRepository {
	obj := &v1alpha1.GitRepository{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.GitRepositorySpec{
			URL:       "https://github.com/stefanprodan/podinfo",
			Interval:  every(5 * time.Minute),
			Reference: &v1alpha1.GitRepositoryRef{Branch: "master"},
		},
	}
	v1alpha1.SetObjectDefaults_GitRepository(obj)
	return obj
}

func validOCIRepository() *v1alpha1.OCIRepository {
	obj := &v1alpha1.OCIRepository{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.OCIRepositorySpec{
			URL:       "oci://ghcr.io/stefanprodan/manifests/podinfo",
			Interval:  every(5 * time.Minute),
			Reference: &v1alpha1.OCIRepositoryRef{Tag: "latest"},
		},
	}
	v1alpha1.SetObjectDefaults_OCIRepository(obj)
	return obj
}

func validHelmRepository() *v1alpha1.HelmRepository {
	obj := &v1alpha1.HelmRepository{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.HelmRepositorySpec{
			URL:      "https://stefanprodan.github.io/podinfo",
			Interval: every(5 * time.Minute),
		},
	}
	v1alpha1.SetObjectDefaults_HelmRepository(obj)
	return obj
}

func validHelmChart() *v1alpha1.HelmChart {
	obj := &v1alpha1.HelmChart{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.HelmChartSpec{
			Chart:     "podinfo",
			Version:   "5.*",
			SourceRef: v1alpha1.LocalHelmChartSourceReference{Kind: v1alpha1.HelmRepositoryKind, Name: "podinfo"},
			Interval:  every(5 * time.Minute),
		},
	}
	v1alpha1.SetObjectDefaults_HelmChart(obj)
	return obj
}

func validBucket() *v1alpha1.Bucket {
	obj := &v1alpha1.Bucket{
		ObjectMeta: meta("minio-bucket"),
		Spec: v1alpha1.BucketSpec{
			BucketName: "example",
			Endpoint:   "minio.example.com",
			Interval:   every(5 * time.Minute),
			SecretRef:  &v1alpha1.LocalObjectReference{Name: "minio-bucket-secret"},
		},
	}
	v1alpha1.SetObjectDefaults_Bucket(obj)
	return obj
}

func validKustomization() *v1alpha1.Kustomization {
	prune := true
	obj := &v1alpha1.Kustomization{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.KustomizationSpec{
			Interval:        every(10 * time.Minute),
			Path:            "./kustomize",
			Prune:           &prune,
			SourceRef:       v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "podinfo"},
			TargetNamespace: "default",
			Timeout:         durationPtr(time.Minute),
		},
	}
	return obj
}

func validHelmRelease() *v1alpha1.HelmRelease {
	obj := &v1alpha1.HelmRelease{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.HelmReleaseSpec{
			Interval: every(10 * time.Minute),
			Chart: &v1alpha1.HelmChartTemplate{Spec: v1alpha1.HelmChartTemplateSpec{
				Chart:     "podinfo",
				Version:   "6.5.*",
				SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.HelmRepositoryKind, Name: "podinfo"},
			}},
		},
	}
	v1alpha1.SetObjectDefaults_HelmRelease(obj)
	return obj
}

func validProvider() *v1alpha1.Provider {
	obj := &v1alpha1.Provider{
		ObjectMeta: meta("slack-bot"),
		Spec: v1alpha1.ProviderSpec{
			Type:      v1alpha1.ProviderSlack,
			Channel:   "general",
			Address:   "https://slack.com/api/chat.postMessage",
			SecretRef: &v1alpha1.LocalObjectReference{Name: "slack-bot-token"},
		},
	}
	return obj
}

func validAlert() *v1alpha1.Alert {
	obj := &v1alpha1.Alert{
		ObjectMeta: meta("slack"),
		Spec: v1alpha1.AlertSpec{
			ProviderRef: v1alpha1.LocalObjectReference{Name: "slack-bot"},
			EventSources: []v1alpha1.CrossNamespaceObjectReference{
				{Kind: v1alpha1.GitRepositoryKind, Name: "*"},
				{Kind: v1alpha1.KustomizationKind, Name: "*", MatchLabels: map[string]string{"app": "podinfo"}},
			},
		},
	}
	v1alpha1.SetObjectDefaults_Alert(obj)
	return obj
}

func validReceiver() *v1alpha1.Receiver {
	obj := &v1alpha1.Receiver{
		ObjectMeta: meta("github-receiver"),
		Spec: v1alpha1.ReceiverSpec{
			Type:   v1alpha1.ReceiverGitHub,
			Events: []string{"ping", "push"},
			Resources: []v1alpha1.ReceiverResource{{
				CrossNamespaceObjectReference: v1alpha1.CrossNamespaceObjectReference{Kind: v1alpha1.GitRepositoryKind, Name: "podinfo"},
			}},
			SecretRef: &v1alpha1.LocalObjectReference{Name: "receiver-token"},
		},
	}
	v1alpha1.SetObjectDefaults_Receiver(obj)
	return obj
}

func validImageRepository() *v1alpha1.ImageRepository {
	obj := &v1alpha1.ImageRepository{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.ImageRepositorySpec{
			Image:    "ghcr.io/stefanprodan/podinfo",
			Interval: every(5 * time.Minute),
		},
	}
	v1alpha1.SetObjectDefaults_ImageRepository(obj)
	return obj
}

func validImagePolicy() *v1alpha1.ImagePolicy {
	obj := &v1alpha1.ImagePolicy{
		ObjectMeta: meta("podinfo"),
		Spec: v1alpha1.ImagePolicySpec{
			ImageRepositoryRef: v1alpha1.NamespacedObjectReference{Name: "podinfo"},
			Policy:             v1alpha1.ImagePolicyChoice{SemVer: &v1alpha1.SemVerPolicy{Range: "5.0.x"}},
		},
	}
	v1alpha1.SetObjectDefaults_ImagePolicy(obj)
	return obj
}

func validImageUpdateAutomation() *v1alpha1.ImageUpdateAutomation {
	obj := &v1alpha1.ImageUpdateAutomation{
		ObjectMeta: meta("flux-system"),
		Spec: v1alpha1.ImageUpdateAutomationSpec{
			Interval:  every(30 * time.Minute),
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "flux-system"},
			GitSpec: &v1alpha1.GitSpec{
				Checkout: &v1alpha1.GitCheckoutSpec{Reference: v1alpha1.GitRepositoryRef{Branch: "main"}},
				Commit: v1alpha1.CommitSpec{
					Author:          v1alpha1.CommitUser{Name: "fluxcdbot", Email: "fluxcdbot@users.noreply.github.com"},
					MessageTemplate: "{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}",
				},
				Push: &v1alpha1.PushSpec{Branch: "main"},
			},
			Update: &v1alpha1.UpdateStrategy{Path: "./clusters/my-cluster"},
		},
	}
	v1alpha1.SetObjectDefaults_ImageUpdateAutomation(obj)
	return obj
}

// expectError fails unless errs holds an error of the given type at path.
// validate checks a new object as the registry's strategy does: its
// metadata, then its spec.
func validate(obj runtime.Object) field.ErrorList {
	switch o := obj.(type) {
	case *v1alpha1.GitRepository:
		return append(ValidateObjectMeta(o), ValidateGitRepositorySpec(o.Spec, specPath)...)
	case *v1alpha1.OCIRepository:
		return append(ValidateObjectMeta(o), ValidateOCIRepositorySpec(o.Spec, specPath)...)
	case *v1alpha1.HelmRepository:
		return append(ValidateObjectMeta(o), ValidateHelmRepositorySpec(o.Spec, specPath)...)
	case *v1alpha1.HelmChart:
		return append(ValidateObjectMeta(o), ValidateHelmChartSpec(o.Spec, specPath)...)
	case *v1alpha1.Bucket:
		return append(ValidateObjectMeta(o), ValidateBucketSpec(o.Spec, specPath)...)
	case *v1alpha1.Kustomization:
		return append(ValidateObjectMeta(o), ValidateKustomizationSpec(o.Spec, specPath)...)
	case *v1alpha1.HelmRelease:
		return append(ValidateObjectMeta(o), ValidateHelmReleaseSpec(o.Spec, specPath)...)
	case *v1alpha1.Provider:
		return append(ValidateObjectMeta(o), ValidateProviderSpec(o.Spec, specPath)...)
	case *v1alpha1.Alert:
		return append(ValidateObjectMeta(o), ValidateAlertSpec(o.Spec, specPath)...)
	case *v1alpha1.Receiver:
		return append(ValidateObjectMeta(o), ValidateReceiverSpec(o.Spec, specPath)...)
	case *v1alpha1.ImageRepository:
		return append(ValidateObjectMeta(o), ValidateImageRepositorySpec(o.Spec, specPath)...)
	case *v1alpha1.ImagePolicy:
		return append(ValidateObjectMeta(o), ValidateImagePolicySpec(o.Spec, specPath)...)
	case *v1alpha1.ImageUpdateAutomation:
		return append(ValidateObjectMeta(o), ValidateImageUpdateAutomationSpec(o.Spec, specPath)...)
	}
	panic(fmt.Sprintf("no validation for %T", obj))
}

func expectError(t *testing.T, errs field.ErrorList, errType field.ErrorType, path string) {
	t.Helper()
	for _, err := range errs {
		if err.Type == errType && err.Field == path {
			return
		}
	}
	t.Errorf("want %s error at %s, got %v", errType, path, describe(errs))
}

func expectNoErrors(t *testing.T, errs field.ErrorList) {
	t.Helper()
	if len(errs) > 0 {
		t.Errorf("want no errors, got %v", describe(errs))
	}
}

func describe(errs field.ErrorList) string {
	if len(errs) == 0 {
		return "no errors"
	}
	lines := make([]string, len(errs))
	for i, err := range errs {
		lines[i] = err.Error()
	}
	return "[" + strings.Join(lines, "; ") + "]"
}
