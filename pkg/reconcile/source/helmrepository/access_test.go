package helmrepository

import (
	"errors"
	"testing"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

func TestCredentialsGoToOtherHostsOnlyWithPassCredentials(t *testing.T) {
	repository := helmrepotest.New(t, "user", "s3cret", false)
	chartHost := helmrepotest.New(t, "user", "s3cret", false)
	chartHost.Serve(t, "podinfo-1.0.0.tgz", []byte("chart"))
	obj := helmRepository(repository.URL)
	creds := credentials{username: "user", password: "s3cret"}

	_, err := accessWith(t, obj, creds).Get(t.Context(), chartHost.URL+"/podinfo-1.0.0.tgz", 100)
	if !errors.Is(err, ErrUnauthorized) || chartHost.Authorized.Load() != 0 {
		t.Errorf("without passCredentials another host got the credentials (%d times); err %v", chartHost.Authorized.Load(), err)
	}
	obj.Spec.PassCredentials = true
	data, err := accessWith(t, obj, creds).Get(t.Context(), chartHost.URL+"/podinfo-1.0.0.tgz", 100)
	if err != nil || string(data) != "chart" {
		t.Errorf("with passCredentials: %q, %v", data, err)
	}
	if _, err := accessWith(t, obj, creds).Get(t.Context(), chartHost.URL+"/podinfo-1.0.0.tgz", 2); err == nil {
		t.Error("a download beyond the limit was accepted")
	}
}
