package s3server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// authorization is the parsed Authorization header of an AWS Signature
// Version 4 request: "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/
// <service>/aws4_request, SignedHeaders=<h1;h2>, Signature=<hex>".
type authorization struct {
	accessKeyID   string
	scope         string // <date>/<region>/<service>/aws4_request
	signedHeaders []string
	signature     string
}

func parseAuthorization(header string) (authorization, bool) {
	rest, ok := strings.CutPrefix(header, "AWS4-HMAC-SHA256 ")
	if !ok {
		return authorization{}, false
	}
	var a authorization
	for _, field := range strings.Split(rest, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(field), "=")
		switch name {
		case "Credential":
			a.accessKeyID, a.scope, _ = strings.Cut(value, "/")
		case "SignedHeaders":
			a.signedHeaders = strings.Split(value, ";")
		case "Signature":
			a.signature = value
		}
	}
	return a, a.accessKeyID != "" && a.scope != "" && a.signature != "" && len(a.signedHeaders) > 0
}

// signatureMatches recomputes the signature of r with secretKey, as AWS
// specifies it, and compares it with the one the client sent.
func (a authorization) signatureMatches(r *http.Request, secretKey string) bool {
	scopeParts := strings.Split(a.scope, "/")
	if len(scopeParts) != 4 {
		return false
	}
	var headers strings.Builder
	for _, name := range a.signedHeaders {
		value := strings.Join(r.Header.Values(name), ",")
		if name == "host" {
			value = r.Host
		}
		headers.WriteString(name + ":" + strings.Join(strings.Fields(value), " ") + "\n")
	}
	canonicalRequest := strings.Join([]string{
		r.Method,
		s3utils.EncodePath(r.URL.Path),
		canonicalQuery(r.URL.Query()),
		headers.String(),
		strings.Join(a.signedHeaders, ";"),
		r.Header.Get("X-Amz-Content-Sha256"),
	}, "\n")
	requestHash := sha256.Sum256([]byte(canonicalRequest))
	stringToSign := "AWS4-HMAC-SHA256\n" + r.Header.Get("X-Amz-Date") + "\n" + a.scope + "\n" + hex.EncodeToString(requestHash[:])
	key := []byte("AWS4" + secretKey)
	for _, part := range scopeParts {
		key = hmacSHA256(key, part)
	}
	want := hex.EncodeToString(hmacSHA256(key, stringToSign))
	return hmac.Equal([]byte(want), []byte(a.signature))
}

// canonicalQuery sorts the parameters and encodes spaces as %20.
func canonicalQuery(query url.Values) string {
	return strings.ReplaceAll(query.Encode(), "+", "%20")
}

func hmacSHA256(key []byte, data string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}
