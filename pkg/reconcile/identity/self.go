package identity

import (
	"context"

	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	authenticationv1client "k8s.io/client-go/kubernetes/typed/authentication/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Self asks the cluster who the server is there.
func Self(ctx context.Context, reviews authenticationv1client.SelfSubjectReviewInterface) (v1alpha1.Owner, error) {
	review, err := reviews.Create(ctx, &authenticationv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		return v1alpha1.Owner{}, err
	}
	info := review.Status.UserInfo
	owner := v1alpha1.Owner{Username: info.Username, UID: info.UID, Groups: info.Groups}
	if len(info.Extra) > 0 {
		owner.Extra = make(map[string][]string, len(info.Extra))
		for k, v := range info.Extra {
			owner.Extra[k] = v
		}
	}
	return owner, nil
}
