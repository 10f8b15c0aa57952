package provider

import (
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/reconcile/secretref"
)

func TestSecretKeysOverrideTheSpec(t *testing.T) {
	c := Config{Options: Options{URL: "https://spec.example/", Username: "spec-user"}}
	data := map[string][]byte{
		"address":  []byte(" https://hooks.example/T0/B0/secret-path \n"),
		"token":    []byte("tok-123\n"),
		"username": []byte("bot"),
		"password": []byte("pw-456"),
		"headers":  []byte("X-Api-Key: key-789\nX-Team: web\n"),
	}
	if err := fromSecret(secretref.Ref{Namespace: "ns", Name: "s", Field: "spec.secretRef"}, data, &c); err != nil {
		t.Fatal(err)
	}
	o := c.Options
	if o.URL != "https://hooks.example/T0/B0/secret-path" || o.Token != "tok-123" || o.Username != "bot" ||
		o.Password != "pw-456" || o.Headers["X-Api-Key"] != "key-789" || o.Headers["X-Team"] != "web" {
		t.Fatalf("options: %+v", o)
	}
	message := c.Mask(`Post "https://hooks.example/T0/B0/secret-path": token tok-123, password pw-456, key key-789`)
	for _, secret := range []string{"secret-path", "tok-123", "pw-456", "key-789"} {
		if strings.Contains(message, secret) {
			t.Errorf("masked message %q still shows %q", message, secret)
		}
	}
}

func TestHeadersThatAreNotAMapAreRefusedWithoutTheirValue(t *testing.T) {
	var c Config
	err := fromSecret(secretref.Ref{Namespace: "ns", Name: "s", Field: "spec.secretRef"},
		map[string][]byte{"headers": []byte("- sekret-list")}, &c)
	if err == nil || strings.Contains(err.Error(), "sekret") || !strings.Contains(err.Error(), "ns/s") {
		t.Fatalf("err = %v", err)
	}
}

func TestAnAddressIsMaskedAsGoPrintsItToo(t *testing.T) {
	var c Config
	data := map[string][]byte{"address": []byte("https://bot:pw-456@hooks.example/services/T0/secret-path?key=k-789")}
	if err := fromSecret(secretref.Ref{Namespace: "ns", Name: "s", Field: "spec.secretRef"}, data, &c); err != nil {
		t.Fatal(err)
	}
	// net/url prints the URL with its password redacted, so the whole
	// address is not found in the message as the Secret gives it.
	message := c.Mask(`Post "https://bot:xxxxx@hooks.example/services/T0/secret-path?key=k-789": giving up after 4 attempt(s)`)
	for _, secret := range []string{"secret-path", "k-789", "pw-456", "bot:"} {
		if strings.Contains(message, secret) {
			t.Errorf("masked message %q still shows %q", message, secret)
		}
	}
}
