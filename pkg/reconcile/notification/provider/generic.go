package provider

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
)

// componentHeader names the reporting controller on generic requests, as
// Flux's notification-controller does.
const componentHeader = "gotk-component"

// generic posts the event itself, in Flux's event format, to a webhook;
// with an HMAC key (generic-hmac) it signs the body in X-Signature.
type generic struct {
	httpSender
	o       Options
	hmacKey []byte
}

func newGeneric(o Options) (Sender, error) {
	if err := checkURL("generic", o.URL); err != nil {
		return nil, err
	}
	h, err := newHTTPSender(o)
	if err != nil {
		return nil, err
	}
	return &generic{httpSender: h, o: o}, nil
}

// newGenericHMAC signs with the Secret's token key.
func newGenericHMAC(o Options) (Sender, error) {
	if o.Token == "" {
		return nil, errors.New("generic-hmac needs the token key in spec.secretRef's Secret, the HMAC key")
	}
	s, err := newGeneric(o)
	if err != nil {
		return nil, err
	}
	s.(*generic).hmacKey = []byte(o.Token)
	return s, nil
}

func (g *generic) Post(ctx context.Context, event eventv1.Event) error {
	body, err := json.Marshal(event)
	if err != nil {
		return fmt.Errorf("failed marshalling event: %w", err)
	}
	headers := http.Header{}
	headers.Set(componentHeader, event.ReportingController)
	for key, value := range g.o.Headers {
		headers.Set(key, value)
	}
	if len(g.hmacKey) > 0 {
		headers.Set("X-Signature", "sha256="+sign(body, g.hmacKey))
	}
	err = post(ctx, g.client, request{url: g.o.URL, body: body, headers: headers})
	if err != nil {
		return fmt.Errorf("postMessage failed: %w", err)
	}
	return nil
}

// sign is the hex HMAC-SHA256 of payload.
func sign(payload, key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(payload)
	return hex.EncodeToString(mac.Sum(nil))
}
