package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// maxAddressLength is the longest address a Secret may give, as Flux's.
const maxAddressLength = 2048

// Config is what sending through a Provider takes: the Options of its
// type, and the values that must never be shown, to mask in errors.
type Config struct {
	Options Options
	// Secrets are the Secret's token, password and address: an error of a
	// send may quote them (a URL in a network error), so they are masked.
	Secrets []string
}

// Configure reads the Secrets obj refers to and makes its Options, in
// Flux's order: spec fields first, then spec.secretRef's keys (address,
// token, username, password, headers; proxy, deprecated), then
// spec.proxySecretRef and spec.certSecretRef. Errors name the field and
// the Secret, never a value.
func Configure(ctx context.Context, reader secretref.Reader, obj *v1alpha1.Provider) (Config, error) {
	var c Config
	o := &c.Options
	o.URL, o.Channel, o.Username, o.ProxyURL = obj.Spec.Address, obj.Spec.Channel, obj.Spec.Username, obj.Spec.Proxy
	if ref := obj.Spec.SecretRef; ref != nil {
		r := secretref.Ref{Namespace: obj.Namespace, Name: ref.Name, Field: "spec.secretRef"}
		data, err := reader.Secret(ctx, r)
		if err != nil {
			return c, err
		}
		if err := fromSecret(r, data, &c); err != nil {
			return c, err
		}
	}
	if ref := obj.Spec.ProxySecretRef; ref != nil {
		r := secretref.Ref{Namespace: obj.Namespace, Name: ref.Name, Field: "spec.proxySecretRef"}
		data, err := reader.Secret(ctx, r)
		if err != nil {
			return c, err
		}
		proxy, err := secretref.ProxyURL(r, data)
		if err != nil {
			return c, err
		}
		o.ProxyURL = proxy.String()
		c.Secrets = append(c.Secrets, o.ProxyURL)
	}
	if ref := obj.Spec.CertSecretRef; ref != nil {
		r := secretref.Ref{Namespace: obj.Namespace, Name: ref.Name, Field: "spec.certSecretRef"}
		data, err := reader.Secret(ctx, r)
		if err != nil {
			return c, err
		}
		if o.TLSConfig, err = secretref.TLSConfig(r, data); err != nil {
			return c, err
		}
	}
	return c, nil
}

// fromSecret reads Flux's keys of spec.secretRef's Secret.
func fromSecret(r secretref.Ref, data map[string][]byte, c *Config) error {
	o := &c.Options
	if address, ok := data["address"]; ok {
		if len(address) > maxAddressLength {
			return fmt.Errorf("%s: the address key of Secret '%s' is longer than %d bytes", r.Field, r, maxAddressLength)
		}
		o.URL = strings.TrimSpace(string(address))
		c.Secrets = append(c.Secrets, secretURLParts(o.URL)...)
	}
	if proxy, ok := data["proxy"]; ok {
		o.ProxyURL = strings.TrimSpace(string(proxy))
		c.Secrets = append(c.Secrets, secretURLParts(o.ProxyURL)...)
	}
	if headers, ok := data["headers"]; ok {
		o.Headers = map[string]string{}
		if err := yaml.Unmarshal(headers, &o.Headers); err != nil {
			return fmt.Errorf("%s: the headers key of Secret '%s' is not a YAML map of strings", r.Field, r)
		}
		for _, value := range o.Headers {
			c.Secrets = append(c.Secrets, value)
		}
	}
	o.Token = strings.TrimSpace(string(data["token"]))
	if username, password := secretref.BasicAuth(data); username != "" || password != "" {
		o.Username, o.Password = username, password
	}
	c.Secrets = append(c.Secrets, o.Token, o.Password)
	return nil
}

// secretURLParts are the forms in which a URL from a Secret may reach an
// error: whole, as Go prints it with its password redacted, and its
// userinfo, path and query, where webhook URLs carry their tokens.
func secretURLParts(raw string) []string {
	parts := []string{raw}
	u, err := url.Parse(raw)
	if err != nil {
		return parts
	}
	parts = append(parts, u.Redacted(), u.RawQuery)
	if u.User != nil {
		parts = append(parts, u.User.String())
	}
	if u.Path != "/" {
		parts = append(parts, u.Path, u.EscapedPath())
	}
	return parts
}

// Mask replaces every secret value in message with asterisks, as Flux
// masks the token in the errors it reports.
func (c Config) Mask(message string) string {
	for _, s := range c.Secrets {
		if s != "" {
			message = strings.ReplaceAll(message, s, "*****")
		}
	}
	return message
}
