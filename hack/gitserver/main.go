// Command git-server serves the bare repositories of a folder over smart
// HTTP on loopback, with basic auth: the Git server of the local demo that
// hack/local-up.sh starts.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"

	"gitops.io/apiserver/test/gitserver"
)

func main() {
	root := flag.String("root", "", "folder holding the bare repositories (<name>.git)")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on; keep it on loopback")
	user := flag.String("user", "gitops", "basic auth user")
	passwordFile := flag.String("password-file", "", "file holding the basic auth password")
	flag.Parse()
	if err := serve(*root, *listen, *user, *passwordFile); err != nil {
		fmt.Fprintln(os.Stderr, "git-server:", err)
		os.Exit(1)
	}
}

func serve(root, listen, user, passwordFile string) error {
	if root == "" || passwordFile == "" {
		return fmt.Errorf("--root and --password-file are required")
	}
	password, err := os.ReadFile(passwordFile)
	if err != nil {
		return err
	}
	handler, err := gitserver.Handler(root, gitserver.BasicAuth(user, strings.TrimSpace(string(password))))
	if err != nil {
		return err
	}
	log.Printf("serving the repositories of %s on http://%s", root, listen)
	return http.ListenAndServe(listen, handler)
}
