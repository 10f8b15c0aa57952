package revlog

import (
	"k8s.io/component-base/metrics"
	"k8s.io/component-base/metrics/legacyregistry"
)

var rejectedFiles = metrics.NewCounter(&metrics.CounterOpts{
	Subsystem:      "gitstore",
	Name:           "rejected_files_total",
	Help:           "Files pushed to the storage branch that were skipped because they are not valid objects.",
	StabilityLevel: metrics.ALPHA,
})

var mirrorConflicts = metrics.NewCounter(&metrics.CounterOpts{
	Subsystem:      "gitstore",
	Name:           "mirror_conflicts_total",
	Help:           "Pulls from the remote mirror that could not be merged because both sides changed the same files.",
	StabilityLevel: metrics.ALPHA,
})

func init() {
	legacyregistry.MustRegister(rejectedFiles, mirrorConflicts)
}
