package ocirepository

import (
	"encoding/base64"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/test/ociregistry"
)

func secret(data map[string]string) *corev1.Secret {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "creds"}, Data: map[string][]byte{}}
	for k, v := range data {
		s.Data[k] = []byte(v)
	}
	return s
}

// credsRef names the Secret secret makes.
var credsRef = secretref.Ref{Namespace: "ns", Name: "creds", Field: "spec.secretRef"}

func TestCredentialsFromDockerConfigOrUsernameAndPassword(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{User: "flux", Password: "s3cret"})
	pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "a"})
	repo, err := parseURL(reg.URL("app"), true)
	if err != nil {
		t.Fatal(err)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("flux:s3cret"))
	for _, tc := range []struct {
		name   string
		secret *corev1.Secret
	}{
		{"dockerconfigjson by host", secret(map[string]string{".dockerconfigjson": `{"auths":{"` + reg.Host + `":{"username":"flux","password":"s3cret"}}}`})},
		{"dockerconfigjson by URL with auth", secret(map[string]string{".dockerconfigjson": `{"auths":{"https://` + reg.Host + `/v1/":{"auth":"` + basic + `"}}}`})},
		{"username and password", secret(map[string]string{"username": "flux", "password": "s3cret"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			auth, err := authenticatorFor(credsRef, tc.secret.Data, repo.Registry)
			if err != nil {
				t.Fatal(err)
			}
			access := registryAccess{options: []remote.Option{remote.WithAuth(auth)}}
			if _, err := resolveRevision(repo, nil, access); err != nil {
				t.Errorf("resolving with the Secret's credentials: %v", err)
			}
		})
	}

	wrong, err := authenticatorFor(credsRef, secret(map[string]string{"username": "flux", "password": "wrong"}).Data, repo.Registry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = resolveRevision(repo, nil, registryAccess{options: []remote.Option{remote.WithAuth(wrong)}})
	if failure := assertFailure(t, err, v1alpha1.AuthenticationFailedReason, "UNAUTHORIZED"); failure.Stalled {
		t.Error("wrong credentials stall; a fixed Secret would never be read")
	}

	// Without a secretRef the registry is read anonymously, and refuses.
	obj := ociRepository(reg.URL("app"), nil)
	assertFailure(t, newTestReconciler(t).reconcileSteps(t.Context(), obj), v1alpha1.AuthenticationFailedReason, "UNAUTHORIZED")
}

func TestSecretsWithoutUsableCredentialsAreNamed(t *testing.T) {
	registry, err := name.NewRegistry("registry.example:5000")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		secret *corev1.Secret
		text   string
	}{
		{"other registry", secret(map[string]string{".dockerconfigjson": `{"auths":{"other.example":{"username":"u","password":"p"}}}`}), "no credentials for registry 'registry.example:5000'"},
		{"not JSON", secret(map[string]string{".dockerconfigjson": `{`}), "Secret 'ns/creds'"},
		{"auth not base64", secret(map[string]string{".dockerconfigjson": `{"auths":{"registry.example:5000":{"auth":"%%"}}}`}), "Secret 'ns/creds'"},
		{"no keys", secret(map[string]string{"token": "t"}), "neither .dockerconfigjson nor username and password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := authenticatorFor(credsRef, tc.secret.Data, registry)
			assertFailure(t, err, v1alpha1.AuthenticationFailedReason, tc.text)
		})
	}
}

func TestPlainHTTPOnlyWithInsecure(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "a"})
	obj := ociRepository(reg.URL("app"), nil)
	obj.Spec.Insecure = false
	assertFailure(t, newTestReconciler(t).reconcileSteps(t.Context(), obj), v1alpha1.OCIPullFailedReason, "refused without spec.insecure")
}

func TestHTTPSRegistryIsVerified(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{TLS: true})
	pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "a"})
	obj := ociRepository(reg.URL("app"), nil)
	obj.Spec.Insecure = false
	// The registry's certificate is of no CA the server trusts.
	assertFailure(t, newTestReconciler(t).reconcileSteps(t.Context(), obj), v1alpha1.OCIPullFailedReason, "certificate")
}

func TestUnsupportedAndInvalidSpecsStall(t *testing.T) {
	r := newTestReconciler(t)
	for _, tc := range []struct {
		name   string
		edit   func(*v1alpha1.OCIRepository)
		reason string
		text   string
	}{
		{"cloud provider", func(o *v1alpha1.OCIRepository) { o.Spec.Provider = v1alpha1.CloudProviderAWS }, v1alpha1.NotSupportedReason, "spec.provider aws"},
		{"keyless verification", func(o *v1alpha1.OCIRepository) {
			o.Spec.Verify = &v1alpha1.OCIRepositoryVerification{Provider: v1alpha1.VerificationProviderCosign}
		}, v1alpha1.NotSupportedReason, "keyless cosign"},
		{"notation", func(o *v1alpha1.OCIRepository) {
			o.Spec.Verify = &v1alpha1.OCIRepositoryVerification{Provider: v1alpha1.VerificationProviderNotation,
				SecretRef: &v1alpha1.LocalObjectReference{Name: "certs"}}
		}, v1alpha1.NotSupportedReason, "spec.verify.provider notation"},
		{"not oci://", func(o *v1alpha1.OCIRepository) { o.Spec.URL = "https://registry.example/app" }, v1alpha1.URLInvalidReason, "oci://"},
		{"no repository", func(o *v1alpha1.OCIRepository) { o.Spec.URL = "oci://registry.example" }, v1alpha1.URLInvalidReason, "oci://registry.example"},
		{"bad digest", func(o *v1alpha1.OCIRepository) { o.Spec.Reference = &v1alpha1.OCIRepositoryRef{Digest: "sha256:xyz"} }, v1alpha1.URLInvalidReason, "spec.ref.digest"},
		{"digest in the URL", func(o *v1alpha1.OCIRepository) { o.Spec.URL = "oci://registry.example/app@sha256:abc" }, v1alpha1.URLInvalidReason, "spec.ref.digest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obj := ociRepository("oci://127.0.0.1:1/app", nil)
			tc.edit(obj)
			if failure := assertFailure(t, r.reconcileSteps(t.Context(), obj), tc.reason, tc.text); !failure.Stalled {
				t.Error("not stalled; retrying cannot help")
			}
		})
	}
}
