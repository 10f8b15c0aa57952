// Command models-schema prints the generated OpenAPI definitions as one
// Swagger 2.0 document. hack/update-codegen.sh feeds it to
// applyconfiguration-gen, which embeds the schema so that the generated
// Extract<Kind> functions can read managed fields.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/validation/spec"

	"gitops.io/apiserver/pkg/generated/openapi"
)

func main() {
	if err := printSchema(); err != nil {
		fmt.Fprintf(os.Stderr, "models-schema: %v\n", err)
		os.Exit(1)
	}
}

func printSchema() error {
	refFunc := func(name string) spec.Ref {
		return spec.MustCreateRef("#/definitions/" + name)
	}
	definitions := openapi.GetOpenAPIDefinitions(refFunc)
	schemas := make(map[string]spec.Schema, len(definitions))
	for name, definition := range definitions {
		// Types with a hand-written OpenAPI v3 schema carry their v2 form in an
		// extension; applyconfiguration-gen reads v2 only.
		if embedded, ok := definition.Schema.Extensions[common.ExtensionV2Schema]; ok {
			if v2, ok := embedded.(spec.Schema); ok {
				schemas[name] = v2
				continue
			}
		}
		schemas[name] = definition.Schema
	}
	document, err := json.Marshal(&spec.Swagger{
		SwaggerProps: spec.SwaggerProps{
			Swagger:     "2.0",
			Definitions: schemas,
			Info:        &spec.Info{InfoProps: spec.InfoProps{Title: "gitops.io", Version: "unversioned"}},
		},
	})
	if err != nil {
		return fmt.Errorf("encoding the definitions: %w", err)
	}
	_, err = os.Stdout.Write(document)
	return err
}
