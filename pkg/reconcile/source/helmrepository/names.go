package helmrepository

import "gitops.io/apiserver/pkg/apis/gitops/v1alpha1"

const kind = v1alpha1.HelmRepositoryKind
