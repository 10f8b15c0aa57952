package apiserver

import (
	"os"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// ReasonPushRejected is the reason of the Event for a pushed file the server skipped.
const ReasonPushRejected = "PushRejected"

// rejectionReporter tells people about pushed files the store skipped: a log
// line always, and a Warning Event when the server can reach the cluster: on
// the object the file would be, since whoever pushed is more likely to look
// there, else (a core Secret, say) on the server's own Namespace.
type rejectionReporter struct {
	broadcaster record.EventBroadcaster
	recorder    record.EventRecorder
	// ownNamespace is the server's Namespace, which always exists; nil when
	// it is not known.
	ownNamespace *corev1.ObjectReference
}

// newRejectionReporter reports through the core API at config; with a nil
// config it only logs.
func newRejectionReporter(config *rest.Config, ownNamespace string) (*rejectionReporter, error) {
	r := &rejectionReporter{}
	if ownNamespace != "" {
		// An Event lives in the namespace of what it is about; this one in
		// the server's Namespace, not in "default".
		r.ownNamespace = &corev1.ObjectReference{APIVersion: "v1", Kind: "Namespace", Name: ownNamespace, Namespace: ownNamespace}
	}
	if config == nil {
		return r, nil
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return nil, err
	}
	r.broadcaster = record.NewBroadcaster()
	r.broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: client.CoreV1().Events("")})
	r.recorder = r.broadcaster.NewRecorder(clientgoscheme.Scheme, corev1.EventSource{Component: "gitops-apiserver"})
	return r, nil
}

// report is the revlog's OnRejected hook.
func (r *rejectionReporter) report(rejection revlog.Rejection) {
	klog.ErrorS(rejection.Err, "Skipped a pushed file of the storage repository; it is served again once a push fixes it",
		"path", rejection.Path, "commit", rejection.Commit)
	if r.recorder == nil {
		return
	}
	ref, ok := objectOfFile(rejection.Path)
	if !ok {
		if ref = r.ownNamespace; ref == nil {
			return // the log line is all we can do
		}
	}
	// The file and the reason, never the file's contents.
	r.recorder.Eventf(ref, corev1.EventTypeWarning, ReasonPushRejected,
		"%s in commit %.12s was not taken in: %v", rejection.Path, rejection.Commit, rejection.Err)
}

// objectOfFile names the object a file at <namespace>/<resource>/<name>.yaml
// would be; the Event is about it even though it is not served.
func objectOfFile(path string) (*corev1.ObjectReference, bool) {
	parts := strings.Split(path, "/")
	if len(parts) != 3 || !strings.HasSuffix(parts[2], ".yaml") {
		return nil, false
	}
	for _, k := range kinds {
		if k.resource == parts[1] {
			return &corev1.ObjectReference{
				APIVersion: v1alpha1.SchemeGroupVersion.String(),
				Kind:       k.kind,
				Namespace:  parts[0],
				Name:       strings.TrimSuffix(parts[2], ".yaml"),
			}, true
		}
	}
	return nil, false
}

// stop flushes nothing further; Events already queued may be dropped.
func (r *rejectionReporter) stop() {
	if r.broadcaster != nil {
		r.broadcaster.Shutdown()
	}
}

// ownNamespace is the namespace the server runs in: POD_NAMESPACE (the
// downward API), else the namespace of the pod's service account, else
// none (out of a cluster, --server-namespace says it).
func ownNamespace() string {
	if ns := os.Getenv("POD_NAMESPACE"); ns != "" {
		return ns
	}
	data, err := os.ReadFile("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}
