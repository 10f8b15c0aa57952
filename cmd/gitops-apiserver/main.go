// Command gitops-apiserver serves the gitops.io API group as a Kubernetes
// aggregated API server, storing its objects in a Git repository.
package main

import (
	"os"

	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/component-base/cli"

	"gitops.io/apiserver/pkg/apiserver"
)

func main() {
	ctx := genericapiserver.SetupSignalContext()
	cmd := apiserver.NewCommand(ctx, apiserver.NewOptions())
	os.Exit(cli.Run(cmd))
}
