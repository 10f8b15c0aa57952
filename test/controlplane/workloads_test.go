package controlplane_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"gitops.io/apiserver/test/controlplane"
)

// kube-scheduler binds Pods to kwok's Node and kwok moves them through their
// status, so workloads settle as in a cluster; hack/kwok/stages.yaml keeps a
// labelled Pod unready, or fails it.
func TestWorkloadsSettleOnTheKwokNode(t *testing.T) {
	t.Parallel()
	cp := controlplane.Start(t, controlplane.Options{})
	client := kubernetes.NewForConfigOrDie(cp.Config)
	ctx := t.Context()
	const ns = metav1.NamespaceDefault

	// The unready and failed Pods go first, so they have had at least as long
	// as the Deployment and Job to change their minds when they are checked.
	for name, label := range map[string]string{"unready": "unready", "failing": "failed"} {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"kwok.gitops.io/pod": label}},
			Spec:       podSpec(corev1.RestartPolicyNever),
		}
		if _, err := client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	replicas := int32(2)
	labels := map[string]string{"app": "web"}
	deployment := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       podSpec(corev1.RestartPolicyAlways),
			},
		},
	}
	if _, err := client.AppsV1().Deployments(ns).Create(ctx, deployment, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "once"},
		Spec:       batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: podSpec(corev1.RestartPolicyNever)}},
	}
	if _, err := client.BatchV1().Jobs(ns).Create(ctx, job, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	waitFor(t, "Deployment web Available with 2 replicas", func(ctx context.Context) error {
		d, err := client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			return err
		}
		for _, c := range d.Status.Conditions {
			if c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionTrue && d.Status.AvailableReplicas == replicas {
				return nil
			}
		}
		return fmt.Errorf("status %+v", d.Status)
	})
	waitFor(t, "Job once Complete", func(ctx context.Context) error {
		j, err := client.BatchV1().Jobs(ns).Get(ctx, "once", metav1.GetOptions{})
		if err != nil {
			return err
		}
		for _, c := range j.Status.Conditions {
			if c.Type == batchv1.JobComplete && c.Status == corev1.ConditionTrue {
				return nil
			}
		}
		return fmt.Errorf("status %+v", j.Status)
	})
	waitFor(t, "Pod failing Failed", func(ctx context.Context) error {
		p, err := client.CoreV1().Pods(ns).Get(ctx, "failing", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if p.Status.Phase != corev1.PodFailed {
			return fmt.Errorf("phase %q", p.Status.Phase)
		}
		return nil
	})

	pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pods.Items {
		if p.Spec.NodeName != controlplane.NodeName {
			t.Errorf("pod %s is on node %q, want %s", p.Name, p.Spec.NodeName, controlplane.NodeName)
		}
	}
	unready, err := client.CoreV1().Pods(ns).Get(ctx, "unready", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if unready.Status.Phase != corev1.PodRunning {
		t.Errorf("pod unready is in phase %q, want Running", unready.Status.Phase)
	}
	if ready := podCondition(unready, corev1.PodReady); ready != corev1.ConditionFalse {
		t.Errorf("pod unready has Ready=%q, want False", ready)
	}
}

// podSpec is one container whose image is never pulled: kwok runs nothing.
func podSpec(restart corev1.RestartPolicy) corev1.PodSpec {
	return corev1.PodSpec{
		RestartPolicy: restart,
		Containers:    []corev1.Container{{Name: "main", Image: "registry.k8s.io/pause:3.10"}},
	}
}

func podCondition(p *corev1.Pod, typ corev1.PodConditionType) corev1.ConditionStatus {
	for _, c := range p.Status.Conditions {
		if c.Type == typ {
			return c.Status
		}
	}
	return ""
}

// waitFor polls check until it passes, failing the test with its last error
// after a minute, far more than the seconds kwok takes.
func waitFor(t *testing.T, what string, check func(context.Context) error) {
	t.Helper()
	var last error
	err := wait.PollUntilContextTimeout(t.Context(), 200*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		last = check(ctx)
		return last == nil, nil
	})
	if err != nil {
		t.Fatalf("waiting for %s: %v; last: %v", what, err, last)
	}
}
