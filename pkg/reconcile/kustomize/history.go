package kustomize

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/fluxcd/pkg/ssa/utils"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// manifestsDigest identifies a set of built objects.
func manifestsDigest(objects []*unstructured.Unstructured) (string, error) {
	text, err := utils.ObjectsToYAML(objects)
	if err != nil {
		return "", err
	}
	return digestOf([]byte(text)), nil
}

// digestOf names bytes the way artifacts' digests do.
func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("sha256:%x", sum)
}

// recordHistory adds this reconciliation to status.history: runs of the
// same built objects count into one snapshot, newest first, and only the
// last historyLength snapshots are kept. Runs that built nothing (a
// dependency or the source was not ready) are not recorded.
func recordHistory(obj *v1alpha1.Kustomization, digest string, start time.Time, took time.Duration) {
	if digest == "" {
		return
	}
	status := ""
	if c := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReadyCondition); c != nil {
		status = c.Reason
	}
	now := metav1.NewTime(start)
	history := obj.Status.History
	var snapshot v1alpha1.ReconcileSnapshot
	for i, s := range history {
		if s.Digest == digest {
			snapshot = s
			history = append(history[:i:i], history[i+1:]...)
			break
		}
	}
	if snapshot.Digest == "" {
		snapshot = v1alpha1.ReconcileSnapshot{Digest: digest, FirstReconciled: now}
	}
	snapshot.LastReconciled = now
	snapshot.LastReconciledDuration = v1alpha1.Duration{Duration: took.Round(time.Millisecond)}
	snapshot.LastReconciledStatus = status
	snapshot.TotalReconciliations++
	snapshot.Metadata = map[string]string{"revision": obj.Status.LastAttemptedRevision}
	history = append([]v1alpha1.ReconcileSnapshot{snapshot}, history...)
	obj.Status.History = history[:min(len(history), historyLength)]
}
