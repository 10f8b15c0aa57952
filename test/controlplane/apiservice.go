package controlplane

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	applycorev1 "k8s.io/client-go/applyconfigurations/core/v1"
	"k8s.io/client-go/kubernetes"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	applyapiregistrationv1 "k8s.io/kube-aggregator/pkg/client/applyconfiguration/apiregistration/v1"
	aggregator "k8s.io/kube-aggregator/pkg/client/clientset_generated/clientset"
)

// The API this project serves; RegisterAPIService uses them when group or
// version is empty.
const (
	DefaultGroup   = "gitops.io"
	DefaultVersion = "v1alpha1"
)

const fieldManager = "gitops-controlplane"

// RegisterAPIService makes kube-apiserver proxy group/version to an aggregated
// API server listening on 127.0.0.1:port. Endpoints refuse loopback
// addresses, so the Service is of type ExternalName with externalName
// localhost. caBundle is the CA that signed the server's certificate (see
// WriteServingCert). Applying again updates port and caBundle.
func (cp *ControlPlane) RegisterAPIService(ctx context.Context, group, version, namespace, serviceName string, port int, caBundle []byte) error {
	group, version = orDefault(group, DefaultGroup), orDefault(version, DefaultVersion)
	core, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		return err
	}
	apply := metav1.ApplyOptions{FieldManager: fieldManager, Force: true}
	if _, err := core.CoreV1().Namespaces().Apply(ctx, applycorev1.Namespace(namespace), apply); err != nil {
		return fmt.Errorf("namespace %s: %w", namespace, err)
	}
	svc := applycorev1.Service(serviceName, namespace).WithSpec(applycorev1.ServiceSpec().
		WithType(corev1.ServiceTypeExternalName).
		WithExternalName("localhost").
		WithPorts(applycorev1.ServicePort().WithName("https").WithPort(int32(port))))
	if _, err := core.CoreV1().Services(namespace).Apply(ctx, svc, apply); err != nil {
		return fmt.Errorf("service %s/%s: %w", namespace, serviceName, err)
	}
	agg, err := aggregator.NewForConfig(cp.Config)
	if err != nil {
		return err
	}
	apiService := applyapiregistrationv1.APIService(version + "." + group).WithSpec(
		applyapiregistrationv1.APIServiceSpec().
			WithGroup(group).
			WithVersion(version).
			WithService(applyapiregistrationv1.ServiceReference().
				WithNamespace(namespace).WithName(serviceName).WithPort(int32(port))).
			WithCABundle(caBundle...).
			WithGroupPriorityMinimum(1000).
			WithVersionPriority(15))
	if _, err := agg.ApiregistrationV1().APIServices().Apply(ctx, apiService, apply); err != nil {
		return fmt.Errorf("apiservice %s.%s: %w", version, group, err)
	}
	return nil
}

// WaitAPIServiceAvailable waits, as long as ctx allows, until the APIService
// of group/version (defaults as in RegisterAPIService) reports Available=True.
// The error carries the aggregator's last reason, e.g. a refused connection.
func (cp *ControlPlane) WaitAPIServiceAvailable(ctx context.Context, group, version string) error {
	name := orDefault(version, DefaultVersion) + "." + orDefault(group, DefaultGroup)
	agg, err := aggregator.NewForConfig(cp.Config)
	if err != nil {
		return err
	}
	last := "not found"
	for {
		svc, err := agg.ApiregistrationV1().APIServices().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			last = err.Error()
		} else {
			cond := availableCondition(svc)
			if cond != nil && cond.Status == apiregistrationv1.ConditionTrue {
				return nil
			}
			if cond != nil {
				last = cond.Reason + ": " + cond.Message
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("apiservice %s not available: %s", name, last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func availableCondition(svc *apiregistrationv1.APIService) *apiregistrationv1.APIServiceCondition {
	for i := range svc.Status.Conditions {
		if svc.Status.Conditions[i].Type == apiregistrationv1.Available {
			return &svc.Status.Conditions[i]
		}
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
