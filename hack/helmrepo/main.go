// Command helm-repo packages the charts of a folder with Helm and serves them
// as a Helm chart repository (index.yaml and the packages) over HTTP on
// loopback: the chart repository of the local demo that hack/local-up.sh
// starts.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	repo "helm.sh/helm/v4/pkg/repo/v1"
)

func main() {
	charts := flag.String("charts", "", "folder whose subfolders are charts to serve")
	dir := flag.String("dir", "", "folder to package the charts and write index.yaml into")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on; keep it on loopback")
	flag.Parse()
	if err := serve(*charts, *dir, *listen); err != nil {
		fmt.Fprintln(os.Stderr, "helm-repo:", err)
		os.Exit(1)
	}
}

func serve(charts, dir, listen string) error {
	if charts == "" || dir == "" {
		return fmt.Errorf("--charts and --dir are required")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(charts)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c, err := loader.LoadDir(filepath.Join(charts, e.Name()))
		if err != nil {
			return fmt.Errorf("chart %s: %w", e.Name(), err)
		}
		if _, err := chartutil.Save(c, dir); err != nil {
			return fmt.Errorf("packaging chart %s: %w", e.Name(), err)
		}
	}
	// As `helm repo index` writes it: every package of the folder, with
	// URLs relative to the index.
	index, err := repo.IndexDirectory(dir, "")
	if err != nil {
		return err
	}
	index.SortEntries()
	if err := index.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		return err
	}
	log.Printf("serving the charts of %s on http://%s", charts, listen)
	return http.ListenAndServe(listen, http.FileServer(http.Dir(dir)))
}
