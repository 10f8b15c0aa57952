package dispatch

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/record"
)

// Recorder is the reconcilers' event recorder: each event is recorded as a
// Kubernetes Event by Next (nil: none) and handed to the Dispatcher, which
// never blocks the caller.
type Recorder struct {
	Next       record.EventRecorder
	Dispatcher *Dispatcher
}

var _ record.EventRecorder = Recorder{}

// Event records an event without metadata.
func (r Recorder) Event(obj runtime.Object, eventtype, reason, message string) {
	r.record(obj, nil, eventtype, reason, message)
}

// Eventf records an event without metadata.
func (r Recorder) Eventf(obj runtime.Object, eventtype, reason, messageFmt string, args ...any) {
	r.record(obj, nil, eventtype, reason, fmt.Sprintf(messageFmt, args...))
}

// AnnotatedEventf records an event with metadata.
func (r Recorder) AnnotatedEventf(obj runtime.Object, annotations map[string]string, eventtype, reason, messageFmt string, args ...any) {
	r.record(obj, annotations, eventtype, reason, fmt.Sprintf(messageFmt, args...))
}

func (r Recorder) record(obj runtime.Object, annotations map[string]string, eventtype, reason, message string) {
	if r.Next != nil {
		r.Next.AnnotatedEventf(obj, annotations, eventtype, reason, "%s", message)
	}
	if r.Dispatcher != nil {
		r.Dispatcher.Record(obj, annotations, eventtype, reason, message)
	}
}
