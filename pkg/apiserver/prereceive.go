package apiserver

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"gitops.io/apiserver/pkg/registry/gitstore/prereceive"
)

// preReceiveCommand names the subcommand the storage repository's
// pre-receive hook runs.
const preReceiveCommand = "pre-receive"

// newPreReceiveCommand is `gitops-apiserver pre-receive`: git runs it as the
// storage repository's pre-receive hook (the server installs the hook), and
// it refuses a push if intake would skip any file of it, with the same
// checks (pushedObjectCheck) as intake and API writes.
func newPreReceiveCommand() *cobra.Command {
	branch := "main"
	cmd := &cobra.Command{
		Use:   preReceiveCommand,
		Short: "Check a push to the storage repository; git runs it as the repository's pre-receive hook",
		Long: "Reads the ref updates of a push on stdin, as git's pre-receive hook, in the storage repository, " +
			"and fails, naming each file and why, if the server would not serve a manifest the push changes " +
			"on the storage branch, or if the push updates one of the server's own refs.",
		Args:         cobra.NoArgs,
		SilenceUsage: true, // a refused push is not a mistake in the command line
		// Not the server's start-up: no logging set-up nor feature gates,
		// so git relays only what the check found.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(c *cobra.Command, _ []string) error {
			return prereceive.Run(c.Context(), c.InOrStdin(), c.ErrOrStderr(),
				prereceive.Options{Branch: branch, Validate: pushedObjectCheck()})
		},
	}
	cmd.Flags().StringVar(&branch, "storage-branch", branch, "The storage branch, as the server's --storage-branch.")
	return cmd
}

// preReceiveHook is the command the storage repository's pre-receive hook
// runs: this binary, where it is now, with the server's branch.
func preReceiveHook(branch string) ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the server binary for the storage repository's pre-receive hook: %w", err)
	}
	return []string{exe, preReceiveCommand, "--storage-branch=" + branch}, nil
}
