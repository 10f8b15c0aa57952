package helmrelease

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// objects is a clientset holding objs, and a reader of it.
func objects(objs ...runtime.Object) (*fake.Clientset, secretref.Reader) {
	clientset := fake.NewClientset(objs...)
	return clientset, secretref.Reader{Secrets: clientset.CoreV1(), ConfigMaps: clientset.CoreV1()}
}

func configMap(name string, data map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}, Data: data}
}

func secret(name string, data map[string]string) *corev1.Secret {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}, Data: map[string][]byte{}}
	for k, v := range data {
		s.Data[k] = []byte(v)
	}
	return s
}

func helmRelease(inline string, from ...v1alpha1.ValuesReference) *v1alpha1.HelmRelease {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "podinfo"}}
	obj.Spec.ValuesFrom = from
	if inline != "" {
		obj.Spec.Values = &runtime.RawExtension{Raw: []byte(inline)}
	}
	return obj
}

func mustValues(t *testing.T, reader secretref.Reader, obj *v1alpha1.HelmRelease) map[string]any {
	t.Helper()
	values, err := Values(t.Context(), reader, obj)
	if err != nil {
		t.Fatal(err)
	}
	return values
}

func wantValues(t *testing.T, got, want map[string]any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("values\n%#v\nwant\n%#v", got, want)
	}
}

func TestValuesFromMergeInOrderAndInlineValuesOverThem(t *testing.T) {
	_, reader := objects(
		configMap("base", map[string]string{"values.yaml": "replicas: 1\nimage:\n  repository: podinfo\n  tag: v1\n"}),
		secret("prod", map[string]string{"prod.yaml": "replicas: 3\nimage:\n  tag: v2\n"}),
	)
	obj := helmRelease(`{"image":{"pullPolicy":"Always","tag":"v3"}}`,
		v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "base"},
		v1alpha1.ValuesReference{Kind: "Secret", Name: "prod", ValuesKey: "prod.yaml"})

	wantValues(t, mustValues(t, reader, obj), map[string]any{
		"replicas": float64(3),
		"image":    map[string]any{"repository": "podinfo", "tag": "v3", "pullPolicy": "Always"},
	})
}

func TestTargetPathEntriesMergeInOrderWithTheOthers(t *testing.T) {
	_, reader := objects(
		secret("tls", map[string]string{"crt": "CERT"}),
		configMap("base", map[string]string{"values.yaml": "tls:\n  crt: from-base\n  key: k\nlist: [a, b, c]\nname: base\n"}),
		configMap("index", map[string]string{"second": "B"}),
	)
	// As Flux's helm-controller: each entry over the ones before it, a
	// targetPath entry too, and spec.values over all of them.
	obj := helmRelease(`{"name":"inline"}`,
		v1alpha1.ValuesReference{Kind: "Secret", Name: "tls", ValuesKey: "crt", TargetPath: "tls.crt"},
		v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "base"},
		v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "index", ValuesKey: "second", TargetPath: "list[1]"})

	wantValues(t, mustValues(t, reader, obj), map[string]any{
		"tls":  map[string]any{"crt": "from-base", "key": "k"},
		"list": []any{"a", "B", "c"},
		"name": "inline",
	})
}

func TestTargetPathValueIsReadAsHelmSetReadsIt(t *testing.T) {
	for _, tc := range []struct {
		test, path, value string
		literal           bool
		want              map[string]any
	}{
		{test: "a bool", path: "enabled", value: "true", want: map[string]any{"enabled": true}},
		{test: "a quoted string", path: "enabled", value: `"true"`, want: map[string]any{"enabled": "true"}},
		{test: "a list", path: "kafka.brokers", value: "{one:9092,two:9092}",
			want: map[string]any{"kafka": map[string]any{"brokers": []any{"one:9092", "two:9092"}}}},
		{test: "an escaped dot in the path", path: `config.app\.yml`, value: "x",
			want: map[string]any{"config": map[string]any{"app.yml": "x"}}},
		{test: "a literal keeps --set syntax", path: "kafka.brokers", value: "one:9092,two:9092", literal: true,
			want: map[string]any{"kafka": map[string]any{"brokers": "one:9092,two:9092"}}},
		{test: "a literal file under an escaped path", path: `config.app\.conf.content`, literal: true,
			value: "a = {b: [1, 2]}\npath = C:\\temp, \"quoted\"\n",
			want:  map[string]any{"config": map[string]any{"app.conf": map[string]any{"content": "a = {b: [1, 2]}\npath = C:\\temp, \"quoted\"\n"}}}},
		{test: "a literal list stays a string", path: "list", value: "{a,b}", literal: true, want: map[string]any{"list": "{a,b}"}},
		{test: "an empty literal", path: "empty", value: "", literal: true, want: map[string]any{"empty": ""}},
	} {
		_, reader := objects(configMap("v", map[string]string{"value": tc.value}))
		obj := helmRelease("", v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "v", ValuesKey: "value", TargetPath: tc.path, Literal: tc.literal})
		values, err := Values(t.Context(), reader, obj)
		if err != nil {
			t.Errorf("%s: %v", tc.test, err)
			continue
		}
		if !reflect.DeepEqual(values, tc.want) {
			t.Errorf("%s: values %#v, want %#v", tc.test, values, tc.want)
		}
	}
}

func TestLiteralWithoutTargetPathMergesAtTheRoot(t *testing.T) {
	_, reader := objects(configMap("v", map[string]string{"values.yaml": "a: {b: c}\n"}))
	obj := helmRelease("", v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "v", Literal: true})
	wantValues(t, mustValues(t, reader, obj), map[string]any{"a": map[string]any{"b": "c"}})
}

func TestOptionalEntriesSkipAMissingObjectOrKey(t *testing.T) {
	_, reader := objects(configMap("present", map[string]string{"values.yaml": "a: 1\n"}))
	obj := helmRelease(`{"b":2}`,
		v1alpha1.ValuesReference{Kind: "Secret", Name: "absent", Optional: true},
		v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "present", ValuesKey: "absent.yaml", Optional: true, TargetPath: "c"},
		v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "present"})
	wantValues(t, mustValues(t, reader, obj), map[string]any{"a": float64(1), "b": float64(2)})
}

func TestMissingEntriesNameTheFieldTheObjectAndTheKey(t *testing.T) {
	_, reader := objects(configMap("present", map[string]string{"values.yaml": "a: 1\n"}))
	for _, tc := range []struct {
		ref      v1alpha1.ValuesReference
		want     string
		notFound bool
	}{
		{v1alpha1.ValuesReference{Kind: "Secret", Name: "absent"}, "spec.valuesFrom[1]: Secret 'ns/absent' not found", true},
		{v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "present", ValuesKey: "prod.yaml"},
			"spec.valuesFrom[1]: ConfigMap 'ns/present' has no key 'prod.yaml'", false},
		{v1alpha1.ValuesReference{Kind: "Bucket", Name: "present"}, "spec.valuesFrom[1]: kind 'Bucket' is neither ConfigMap nor Secret", false},
	} {
		obj := helmRelease("", v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "present"}, tc.ref)
		_, err := Values(t.Context(), reader, obj)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v gave %v, want %q", tc.ref, err, tc.want)
		}
		if errors.Is(err, secretref.ErrNotFound) != tc.notFound {
			t.Errorf("%+v: errors.Is(%v, ErrNotFound) is not %v", tc.ref, err, tc.notFound)
		}
	}
}

func TestOptionalDoesNotHideAFailedRead(t *testing.T) {
	// No cluster connection: the Secret may exist, so this is no reason to
	// install without its values.
	obj := helmRelease("", v1alpha1.ValuesReference{Kind: "Secret", Name: "prod", Optional: true})
	_, err := Values(t.Context(), secretref.Reader{}, obj)
	if err == nil || !strings.Contains(err.Error(), "spec.valuesFrom[0]") {
		t.Errorf("an unreadable optional Secret gave %v, want an error naming spec.valuesFrom[0]", err)
	}
}

func TestEachReferencedObjectIsReadOnce(t *testing.T) {
	clientset, reader := objects(secret("prod", map[string]string{"values.yaml": "a: 1\n", "tag": "v2"}))
	obj := helmRelease("",
		v1alpha1.ValuesReference{Kind: "Secret", Name: "prod"},
		v1alpha1.ValuesReference{Kind: "Secret", Name: "prod", ValuesKey: "tag", TargetPath: "image.tag"})

	wantValues(t, mustValues(t, reader, obj), map[string]any{"a": float64(1), "image": map[string]any{"tag": "v2"}})
	if gets := len(clientset.Actions()); gets != 1 {
		t.Errorf("%d requests for one Secret named twice, want 1", gets)
	}
}

func TestBadSecretValuesAreNotQuotedInErrors(t *testing.T) {
	const password = "hunter2"
	_, reader := objects(
		secret("yaml", map[string]string{"values.yaml": "- " + password + "\n"}),
		secret("set", map[string]string{"value": "x," + password}),
		configMap("yaml", map[string]string{"values.yaml": "- not-a-map\n"}),
	)
	for _, tc := range []struct {
		ref  v1alpha1.ValuesReference
		want string
	}{
		{v1alpha1.ValuesReference{Kind: "Secret", Name: "yaml"},
			"spec.valuesFrom[0]: Secret 'ns/yaml' key 'values.yaml' is not a YAML map of values"},
		{v1alpha1.ValuesReference{Kind: "Secret", Name: "set", ValuesKey: "value", TargetPath: "a"},
			"spec.valuesFrom[0]: Secret 'ns/set' key 'value' cannot be set at targetPath 'a'"},
	} {
		_, err := Values(t.Context(), reader, helmRelease("", tc.ref))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v gave %v, want %q", tc.ref, err, tc.want)
		}
	}
	// A ConfigMap's data is no secret: the parser's reason is kept.
	_, err := Values(t.Context(), reader, helmRelease("", v1alpha1.ValuesReference{Kind: "ConfigMap", Name: "yaml"}))
	const what = "spec.valuesFrom[0]: ConfigMap 'ns/yaml' key 'values.yaml' is not a YAML map of values: "
	if err == nil || !strings.HasPrefix(err.Error(), what) || len(err.Error()) == len(what) {
		t.Errorf("a ConfigMap that is no map gave %v, want %q and the parser's reason", err, what)
	}
}

func TestInlineValuesThatAreNoObjectSaySo(t *testing.T) {
	_, reader := objects()
	_, err := Values(t.Context(), reader, helmRelease(`["a"]`))
	if err == nil || !strings.HasPrefix(err.Error(), "spec.values is not an object") {
		t.Errorf("a list as spec.values gave %v", err)
	}
}
