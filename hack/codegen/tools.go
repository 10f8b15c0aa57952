//go:build tools

// Package codegen keeps k8s.io/code-generator in go.mod: nothing else imports
// it, so `go mod tidy` would drop it and hack/update-codegen.sh could no
// longer find kube_codegen.sh in the module cache.
package codegen

import _ "k8s.io/code-generator"
