// Package serviceaccount is the admission plugin ServiceAccountImpersonation:
// a gitops.io object that names a ServiceAccount in spec.serviceAccountName
// makes the server act as that ServiceAccount or use its credentials, so
// whoever sets the field must be allowed to impersonate it, as kubectl --as
// would require. The generic server's authorizer (a SubjectAccessReview to
// kube-apiserver) decides.
package serviceaccount
