package dispatch

import (
	"maps"
	"strings"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/reference"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// annotationPrefix marks the annotations of an object that its events
// carry (RFC-0008); it is also the group of Flux's event metadata.
const annotationPrefix = eventv1.Group + "/"

// controllerKeys are the metadata the reconcilers set themselves, under
// the object's group; they win over an annotation of the same name.
var controllerKeys = []string{eventv1.MetaRevisionKey, eventv1.MetaOriginRevisionKey}

// Event is one recorded event as the dispatcher takes it: in Flux's event
// format, with the labels of the object, which eventSources' matchLabels
// select on.
type Event struct {
	eventv1.Event
	Labels map[string]string
}

// newEvent makes the Event of a recorded one about obj. metadata is what
// the reconciler recorded with it (keys under gitops.io/, see package
// events); the object's event.toolkit.fluxcd.io/ annotations keep Flux's
// prefix, so the Alerts merge them in Flux's precedence.
func newEvent(scheme *runtime.Scheme, obj runtime.Object, metadata map[string]string, eventtype, reason, message, controller, instance string) (Event, bool) {
	ref, err := reference.GetReference(scheme, obj)
	if err != nil {
		return Event{}, false
	}
	accessor, ok := obj.(metav1.Object)
	if !ok {
		return Event{}, false
	}
	severity := eventv1.EventSeverityInfo
	if eventtype == corev1.EventTypeWarning {
		severity = eventv1.EventSeverityError
	}
	e := Event{
		Event: eventv1.Event{
			InvolvedObject:      *ref,
			Severity:            severity,
			Timestamp:           metav1.Now(),
			Message:             message,
			Reason:              reason,
			Metadata:            map[string]string{},
			ReportingController: controller,
			ReportingInstance:   instance,
		},
		Labels: maps.Clone(accessor.GetLabels()),
	}
	annotated := map[string]bool{}
	for key, value := range accessor.GetAnnotations() {
		if name, ok := strings.CutPrefix(key, annotationPrefix); ok && name != "" {
			e.Metadata[key] = value
			annotated[name] = true
		}
	}
	groupPrefix := v1alpha1.GroupName + "/"
	for key, value := range metadata {
		name, ok := strings.CutPrefix(key, groupPrefix)
		if !ok {
			continue
		}
		if annotated[name] && !isControllerKey(name) {
			continue // the annotation, already under its own prefix
		}
		e.Metadata[key] = value
	}
	return e, true
}

func isControllerKey(name string) bool {
	for _, k := range controllerKeys {
		if k == name {
			return true
		}
	}
	return false
}
