#!/usr/bin/env bash
# Regenerates everything derived from the API types in pkg/apis:
#   pkg/apis/**/zz_generated.{deepcopy,defaults,model_name}.go
#   pkg/generated/openapi          OpenAPI definitions the server publishes
#   pkg/generated/{clientset,listers,informers,applyconfiguration}
# with k8s.io/code-generator's kube_codegen.sh, at the version go.mod requires.
#
# New API-rule violations make the run fail. Fix them in the types, or, when a
# name has to stay as Flux spells it, accept them into the report with
#   UPDATE_API_KNOWN_VIOLATIONS=true hack/update-codegen.sh
set -o errexit
set -o nounset
set -o pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${REPO_ROOT}"

MODULE="$(go list -m)"
CODEGEN_DIR="$(go list -m -f '{{.Dir}}' k8s.io/code-generator)"
if [[ -z "${CODEGEN_DIR}" || ! -f "${CODEGEN_DIR}/kube_codegen.sh" ]]; then
    go mod download k8s.io/code-generator
    CODEGEN_DIR="$(go list -m -f '{{.Dir}}' k8s.io/code-generator)"
fi

BOILERPLATE="${REPO_ROOT}/hack/boilerplate.go.txt"
VIOLATIONS_REPORT="${REPO_ROOT}/hack/codegen/api-rule-violations.list"

# The generators are installed into a throw-away GOBIN, so nothing outside the
# repository changes and the versions always match go.mod.
GOBIN="$(mktemp -d)"
export GOBIN
trap 'rm -rf "${GOBIN}"' EXIT

# shellcheck source=/dev/null
source "${CODEGEN_DIR}/kube_codegen.sh"

kube::codegen::gen_helpers \
    --boilerplate "${BOILERPLATE}" \
    "${REPO_ROOT}/pkg/apis"

update_report=()
if [[ "${UPDATE_API_KNOWN_VIOLATIONS:-}" == "true" ]]; then
    update_report=(--update-report)
fi

kube::codegen::gen_openapi \
    --output-dir "${REPO_ROOT}/pkg/generated/openapi" \
    --output-pkg "${MODULE}/pkg/generated/openapi" \
    --report-filename "${VIOLATIONS_REPORT}" \
    --output-model-name-file zz_generated.model_name.go \
    "${update_report[@]}" \
    --boilerplate "${BOILERPLATE}" \
    "${REPO_ROOT}/pkg/apis"

openapi_schema="$(mktemp)"
trap 'rm -rf "${GOBIN}" "${openapi_schema}"' EXIT
go run ./hack/codegen/models-schema > "${openapi_schema}"

# kube_codegen.sh greps these for stale files before regenerating them.
mkdir -p "${REPO_ROOT}"/pkg/generated/{applyconfiguration,clientset,listers,informers}

kube::codegen::gen_client \
    --with-watch \
    --with-applyconfig \
    --applyconfig-openapi-schema "${openapi_schema}" \
    --output-dir "${REPO_ROOT}/pkg/generated" \
    --output-pkg "${MODULE}/pkg/generated" \
    --boilerplate "${BOILERPLATE}" \
    "${REPO_ROOT}/pkg/apis"
