package install

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/apitesting/roundtrip"
	"k8s.io/apimachinery/pkg/runtime"
	runtimeserializer "k8s.io/apimachinery/pkg/runtime/serializer"
	"sigs.k8s.io/randfill"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// TestEveryKindSurvivesEncodeDecode fills every kind with random values,
// encodes and decodes it through the scheme and expects the same object back.
// It catches deep-copy, JSON tag and defaulting mistakes in the types.
func TestEveryKindSurvivesEncodeDecode(t *testing.T) {
	roundtrip.RoundTripTestForAPIGroup(t, Install, defaultedFuzzerFuncs)
}

// defaultedFuzzerFuncs makes the fuzzer produce defaulted objects: decoding
// applies defaults, so an object with holes would not come back unchanged.
func defaultedFuzzerFuncs(codecs runtimeserializer.CodecFactory) []interface{} {
	scheme := runtime.NewScheme()
	Install(scheme)
	fill := func(obj runtime.Object, c randfill.Continue) {
		c.FillNoCustom(obj)
		scheme.Default(obj)
	}
	return []interface{}{
		func(o *v1alpha1.GitRepository, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.OCIRepository, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.HelmRepository, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.HelmChart, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.Bucket, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.Kustomization, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.HelmRelease, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.Provider, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.Alert, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.Receiver, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.ImageRepository, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.ImagePolicy, c randfill.Continue) { fill(o, c) },
		func(o *v1alpha1.ImageUpdateAutomation, c randfill.Continue) { fill(o, c) },
		// Decoding keeps a duration's text, so a fuzzed one has the text
		// that encoding its value gives.
		func(d *v1alpha1.Duration, c randfill.Continue) {
			value := time.Duration(c.Int63n(int64(100 * time.Hour)))
			*d = v1alpha1.Duration{Duration: value, Text: value.String()}
		},
		func(o *v1alpha1.HelmReleaseSnapshot, c randfill.Continue) {
			c.FillNoCustom(o)
			// A pointer to a nil map encodes as null and decodes as a nil
			// pointer; the reconciler never writes one, so neither does the fuzzer.
			if o.TestHooks != nil && *o.TestHooks == nil {
				o.TestHooks = &map[string]v1alpha1.TestHookStatus{}
			}
		},
	}
}
