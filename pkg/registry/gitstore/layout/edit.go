package layout

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/yaml"
)

// Edit returns file, a manifest as it is on the branch (perhaps written by
// a person), changed to say what manifest (a manifest as Split writes it)
// says, with as little changed as possible: fields that keep their value
// keep their formatting, order and comments; new fields are added after the
// existing ones in manifest's order. When the file cannot be edited so (it
// does not parse, or uses YAML features an edit cannot keep, like anchors),
// manifest itself is returned.
func Edit(file, manifest []byte) []byte {
	want, err := yaml.YAMLToJSON(manifest)
	if err != nil {
		return manifest
	}
	have, err := kyaml.Parse(string(file))
	if err != nil {
		return manifest
	}
	target, err := kyaml.Parse(string(manifest))
	if err != nil {
		return manifest
	}
	style := encoding{indent: indentOf(file), seqIndent: kyaml.DeriveSeqIndentStyle(string(file))}
	// What the YAML library writes of the unchanged file is the base the
	// edit is measured from: the lines it changes are then carried over to
	// the file itself, so what the library does not keep (blank lines,
	// spacing) stays as the person wrote it.
	base, err := style.encode(have.YNode())
	if err != nil {
		return manifest
	}
	syncNode(have.YNode(), target.YNode())
	edited, err := style.encode(have.YNode())
	if err != nil {
		return manifest
	}
	for _, candidate := range [][]byte{mergeLines(file, base, edited), edited} {
		if candidate != nil && sameContent(candidate, want) {
			return candidate
		}
	}
	return manifest
}

// sameContent reports whether the YAML doc means the JSON want.
func sameContent(doc, want []byte) bool {
	got, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return false
	}
	var a, b any
	if json.Unmarshal(got, &a) != nil || json.Unmarshal(want, &b) != nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}

// encoding is how a file indents, so an edit writes it the same way.
type encoding struct {
	indent    int
	seqIndent string
}

func (e encoding) encode(node *kyaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := kyaml.NewEncoder(&buf)
	enc.SetIndent(e.indent)
	if e.seqIndent == string(kyaml.WideSequenceStyle) {
		enc.DefaultSeqIndent()
	} else {
		enc.CompactSeqIndent()
	}
	if err := enc.Encode(node); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// indentOf is the indentation of the file's first indented line that is
// not a comment or a list item; 2 when there is none.
func indentOf(file []byte) int {
	for _, line := range strings.Split(string(file), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		n := len(line) - len(trimmed)
		if n > 0 && trimmed != "" && !strings.HasPrefix(trimmed, "#") && !strings.HasPrefix(trimmed, "- ") {
			return n
		}
	}
	return 2
}
