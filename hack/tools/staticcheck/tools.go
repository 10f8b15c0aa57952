//go:build tools

// Package tools pins staticcheck (honnef.co/go/tools), which make verify runs.
package tools

import _ "honnef.co/go/tools/cmd/staticcheck"
