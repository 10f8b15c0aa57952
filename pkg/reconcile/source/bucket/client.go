package bucket

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/minio/minio-go/v7"
	miniocredentials "github.com/minio/minio-go/v7/pkg/credentials"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// maxRetries bounds minio-go's own retries of one request (10 by
// default): the controller retries failed reconciliations with backoff
// anyway, and an unreachable endpoint should show in status quickly.
const maxRetries = 3

// newClient makes an S3 client for spec.endpoint, https unless
// spec.insecure, signing with creds (anonymous without keys), through
// creds' proxy if any.
func newClient(obj *v1alpha1.Bucket, creds credentials) (*minio.Client, *http.Transport, error) {
	transport, err := minio.DefaultTransport(!obj.Spec.Insecure)
	if err != nil {
		return nil, nil, err
	}
	if creds.tls != nil {
		transport.TLSClientConfig = creds.tls
	}
	if creds.proxy != nil {
		transport.Proxy = http.ProxyURL(creds.proxy)
	}
	client, err := minio.New(obj.Spec.Endpoint, &minio.Options{
		Creds:      miniocredentials.NewStaticV4(creds.accessKey, creds.secretKey, ""),
		Secure:     !obj.Spec.Insecure,
		Region:     obj.Spec.Region,
		Transport:  transport,
		MaxRetries: maxRetries,
	})
	if err != nil {
		return nil, nil, source.Stalled(v1alpha1.URLInvalidReason, "spec.endpoint '%s': %v", obj.Spec.Endpoint, err)
	}
	return client, transport, nil
}

// refusedCredentials are the S3 error codes of a request whose
// credentials the service does not accept.
var refusedCredentials = map[string]bool{
	"AccessDenied":          true,
	"InvalidAccessKeyId":    true,
	"SignatureDoesNotMatch": true,
	"InvalidToken":          true,
	"ExpiredToken":          true,
}

// bucketError reports a failed request about what: a missing bucket
// plainly, as Flux does; AuthenticationFailed when the service refused the
// credentials; BucketOperationFailed otherwise. S3 errors are shown as
// code and message; neither carries the credentials (requests are signed,
// never holding the secret key).
func bucketError(err error, bucketName, what string) *outcome.Failure {
	var resp minio.ErrorResponse
	switch {
	case !errors.As(err, &resp):
		return source.FetchFailed(v1alpha1.BucketOperationFailedReason, "%s: %v", what, err)
	case resp.Code == minio.NoSuchBucket:
		return source.FetchFailed(v1alpha1.BucketOperationFailedReason, "bucket '%s' not found", bucketName)
	case refusedCredentials[resp.Code]:
		return source.FetchFailed(v1alpha1.AuthenticationFailedReason, "%s: %s", what, describe(resp))
	}
	return source.FetchFailed(v1alpha1.BucketOperationFailedReason, "%s: %s", what, describe(resp))
}

func describe(resp minio.ErrorResponse) string {
	if resp.Code == "" {
		return fmt.Sprintf("HTTP status %d: %s", resp.StatusCode, resp.Error())
	}
	return resp.Code + ": " + resp.Error()
}
