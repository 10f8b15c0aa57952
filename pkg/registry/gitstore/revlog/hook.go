package revlog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// installPreReceiveHook writes hooks/pre-receive of the repository at path
// as a script that execs command. It is rewritten at every open, so the hook
// follows the server binary when it moves or is upgraded.
func installPreReceiveHook(path string, command []string) error {
	if len(command) == 0 {
		return nil
	}
	quoted := make([]string, len(command))
	for i, arg := range command {
		quoted[i] = shellQuote(arg)
	}
	script := "#!/bin/sh\n" +
		"# Written by gitops-apiserver each time it opens this repository (edits are lost):\n" +
		"# it refuses a push whose files the server would not serve, naming each file and why.\n" +
		"exec " + strings.Join(quoted, " ") + "\n"
	dir := filepath.Join(path, "hooks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("installing the pre-receive hook: %w", err)
	}
	// Written aside and renamed, so a push never runs half a script.
	tmp, err := os.CreateTemp(dir, ".pre-receive-*")
	if err != nil {
		return fmt.Errorf("installing the pre-receive hook: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(script)
	if err == nil {
		err = tmp.Chmod(0o755)
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, "pre-receive"))
	}
	if err != nil {
		return fmt.Errorf("installing the pre-receive hook: %w", err)
	}
	return nil
}

// shellQuote quotes s for /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ServerRefPrefix is where the refs live that the server owns besides the
// branch (the state ref, the mirror's): a push to one is refused.
const ServerRefPrefix = "refs/gitops/"
