//go:build tools

// Package tools pins kwok, which simulates a node for the test control plane
// so that Pods are Running and Ready, Deployments Available and Jobs complete.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
