package apiserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/gitstore"
)

// pushedObjectCheck is the check of an object pushed to the storage branch
// (revlog.Options.Validate), the same for intake and for the pre-receive
// hook: a gitops.io kind, in its resource's folder, valid as an API create of
// it would be.
func pushedObjectCheck() func(key string, object []byte) error {
	validation := &gitstore.PushValidation{}
	for _, k := range kinds {
		validation.Register(v1alpha1.Resource(k.resource), pushedObjectValidator(k))
	}
	return func(key string, object []byte) error {
		if err := servedKind(key, object); err != nil {
			return err
		}
		return validation.Validate(key, object)
	}
}

// errSecretPushed explains why a Secret is refused rather than only that it is.
var errSecretPushed = errors.New("a Secret does not belong in the storage repository, where whoever can read it " +
	"sees it in the history for ever: create it in the cluster (kubectl create secret) and name it in a secretRef")

// servedKind refuses objects of kinds the server does not serve, saying
// where they belong instead; what it lets through the kind's validation checks.
func servedKind(key string, object []byte) error {
	var t metav1.TypeMeta
	if err := json.Unmarshal(object, &t); err != nil {
		return nil // not an object: the kind's validation says so
	}
	gv, err := schema.ParseGroupVersion(t.APIVersion)
	switch {
	case err != nil:
		return fmt.Errorf("apiVersion %q: %w", t.APIVersion, err)
	case gv.Group == "" && t.Kind == "Secret":
		return errSecretPushed
	case gv.Group != v1alpha1.GroupName:
		return fmt.Errorf("%s %s is not served here: the storage repository holds only %s objects; "+
			"apply others to the cluster, or put them in a source a Kustomization applies", t.APIVersion, t.Kind, v1alpha1.GroupName)
	}
	folder := strings.Split(key, "/")[1]
	var ofKind *kind
	for i, k := range kinds {
		if k.resource == folder {
			return nil // its validation checks that the kind matches the folder
		}
		if k.kind == t.Kind {
			ofKind = &kinds[i]
		}
	}
	if ofKind != nil {
		return fmt.Errorf("a %s belongs in the folder %s, not %s", t.Kind, ofKind.resource, folder)
	}
	return fmt.Errorf("%s serves no kind %s and no resource %s", v1alpha1.GroupName, t.Kind, folder)
}
