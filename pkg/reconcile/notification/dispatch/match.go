package dispatch

import (
	"maps"
	"regexp"
	"strings"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
	"k8s.io/apimachinery/pkg/labels"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// matcher decides which Alerts an event goes to, as Flux's event server.
type matcher struct {
	noCrossNamespaceRefs bool
	// regexps caches compiled inclusion and exclusion lists; the API has
	// checked that they compile.
	regexps map[string]*regexp.Regexp
}

// maxCachedRegexps bounds the cache; it starts over beyond it.
const maxCachedRegexps = 1000

// matches reports whether alert takes e: not suspended, one of its
// eventSources selects e's object and severity, and its inclusion and
// exclusion lists let the message through. With --no-cross-namespace-refs
// an Alert takes only events of its own namespace.
func (m *matcher) matches(alert *v1alpha1.Alert, e *Event) bool {
	if alert.Spec.Suspend {
		return false
	}
	if m.noCrossNamespaceRefs && e.InvolvedObject.Namespace != alert.Namespace {
		return false
	}
	if !m.sourcesMatch(alert, e) {
		return false
	}
	if len(alert.Spec.InclusionList) > 0 && !m.anyMatches(alert.Spec.InclusionList, e.Message) {
		return false
	}
	return !m.anyMatches(alert.Spec.ExclusionList, e.Message)
}

func (m *matcher) sourcesMatch(alert *v1alpha1.Alert, e *Event) bool {
	severity := alert.Spec.EventSeverity
	if severity == "" {
		severity = v1alpha1.EventSeverityInfo
	}
	if severity != v1alpha1.EventSeverityInfo && string(severity) != e.Severity {
		return false
	}
	for _, source := range alert.Spec.EventSources {
		namespace := source.Namespace
		if namespace == "" {
			namespace = alert.Namespace
		}
		if e.InvolvedObject.Namespace != namespace || e.InvolvedObject.Kind != source.Kind {
			continue
		}
		if source.Name != "*" && source.Name != e.InvolvedObject.Name {
			continue
		}
		// The recorded object's own labels: no lookup, and no race with a
		// deletion.
		if source.MatchLabels != nil && !labels.SelectorFromSet(source.MatchLabels).Matches(labels.Set(e.Labels)) {
			continue
		}
		return true
	}
	return false
}

func (m *matcher) anyMatches(expressions []string, message string) bool {
	for _, expression := range expressions {
		if r := m.regexp(expression); r != nil && r.MatchString(message) {
			return true
		}
	}
	return false
}

func (m *matcher) regexp(expression string) *regexp.Regexp {
	if r, ok := m.regexps[expression]; ok {
		return r
	}
	if m.regexps == nil || len(m.regexps) >= maxCachedRegexps {
		m.regexps = map[string]*regexp.Regexp{}
	}
	r, err := regexp.Compile(expression)
	if err != nil {
		r = nil // cached as nil: it never matches
	}
	m.regexps[expression] = r
	return r
}

// notification is the event as alert sends it: its metadata merged in
// Flux's precedence (RFC-0008), lowest first: the object's
// event.toolkit.fluxcd.io/ annotations, the Alert's eventMetadata, its
// summary (key summary), and what the reconciler recorded under the
// object's group, each stripped of its prefix.
func notification(e *Event, alert *v1alpha1.Alert) eventv1.Event {
	n := *e.Event.DeepCopy()
	metadata := map[string]string{}
	for key, value := range e.Metadata {
		if name, ok := strings.CutPrefix(key, annotationPrefix); ok {
			metadata[name] = value
		}
	}
	maps.Copy(metadata, alert.Spec.EventMetadata)
	if alert.Spec.Summary != "" {
		metadata["summary"] = alert.Spec.Summary
	}
	groupPrefix := e.InvolvedObject.GroupVersionKind().Group + "/"
	for key, value := range e.Metadata {
		// The token only tells duplicates apart; Flux does not send it.
		if name, ok := strings.CutPrefix(key, groupPrefix); ok && name != eventv1.MetaTokenKey {
			metadata[name] = value
		}
	}
	n.Metadata = nil
	if len(metadata) > 0 {
		n.Metadata = metadata
	}
	return n
}
