//go:build !linux

package controlplane

import "syscall"

// Only Linux can tie a child's life to its parent; elsewhere a crashed test
// leaves its children running.
func procAttr(detached bool) *syscall.SysProcAttr { return nil }
