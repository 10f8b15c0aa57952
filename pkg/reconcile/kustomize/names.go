package kustomize

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

const kind = v1alpha1.KustomizationKind

// ownerGroup prefixes the labels that mark applied objects as ours and the
// annotations that steer apply and prune, as Flux spells them, so manifests
// written for Flux behave the same here.
const ownerGroup = "kustomize.toolkit.fluxcd.io"

// Per-object annotations honoured during apply and prune.
const (
	ssaAnnotation       = ownerGroup + "/ssa"
	pruneAnnotation     = ownerGroup + "/prune"
	forceAnnotation     = ownerGroup + "/force"
	reconcileAnnotation = ownerGroup + "/reconcile"
)

// fieldManager is the server-side apply field manager of applied objects.
const fieldManager = "gitops-apiserver"

// finalizer keeps a Kustomization until its objects are garbage collected.
const finalizer = "finalizers.gitops.io"

// historyLength is how many reconciliation snapshots status.history keeps.
const historyLength = 5
