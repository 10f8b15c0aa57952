package apiserver

import (
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
// line always, and a Warning Event in the file's namespace when the server
// can reach the cluster, since whoever pushed is more likely to look there.
type rejectionReporter struct {
	broadcaster record.EventBroadcaster
	recorder    record.EventRecorder
}

// newRejectionReporter reports through the core API at config; with a nil
// config it only logs.
func newRejectionReporter(config *rest.Config) (*rejectionReporter, error) {
	r := &rejectionReporter{}
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
		return // not where an object can be; the log line is all we can do
	}
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
