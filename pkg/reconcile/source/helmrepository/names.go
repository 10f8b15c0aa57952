package helmrepository

import "gitops.io/apiserver/pkg/apis/gitops/v1alpha1"

const kind = v1alpha1.HelmRepositoryKind

// indexationFailed is Flux's reason for an index that cannot be downloaded
// or read.
const indexationFailed = "IndexationFailed"
