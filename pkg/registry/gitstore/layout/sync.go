package layout

import (
	"reflect"

	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// syncNode changes have, a node of a person's file, into want, changing
// only what differs: a field or item whose value stays keeps its node, and
// so its style and comments.
func syncNode(have, want *kyaml.Node) {
	switch {
	case have.Kind == kyaml.DocumentNode && want.Kind == kyaml.DocumentNode &&
		len(have.Content) == 1 && len(want.Content) == 1:
		syncNode(have.Content[0], want.Content[0])
	case have.Kind == kyaml.MappingNode && want.Kind == kyaml.MappingNode:
		syncMapping(have, want)
	case have.Kind == kyaml.SequenceNode && want.Kind == kyaml.SequenceNode:
		syncSequence(have, want)
	case have.Kind == kyaml.ScalarNode && want.Kind == kyaml.ScalarNode:
		if !sameValue(have, want) {
			setScalar(have, want)
		}
	default:
		replaceNode(have, want)
	}
}

// syncMapping keeps have's fields that want has, in have's order, drops the
// others, and adds want's new fields after them, in want's order.
func syncMapping(have, want *kyaml.Node) {
	wanted := map[string]*kyaml.Node{}
	for i := 0; i+1 < len(want.Content); i += 2 {
		wanted[want.Content[i].Value] = want.Content[i+1]
	}
	kept := make([]*kyaml.Node, 0, len(want.Content))
	seen := map[string]bool{}
	for i := 0; i+1 < len(have.Content); i += 2 {
		key, value := have.Content[i], have.Content[i+1]
		w, ok := wanted[key.Value]
		if !ok || seen[key.Value] {
			continue
		}
		seen[key.Value] = true
		syncNode(value, w)
		kept = append(kept, key, value)
	}
	for i := 0; i+1 < len(want.Content); i += 2 {
		if !seen[want.Content[i].Value] {
			kept = append(kept, want.Content[i], want.Content[i+1])
		}
	}
	have.Content = kept
}

// syncSequence syncs items by position: lists in manifests are mostly
// appended to or edited in place.
func syncSequence(have, want *kyaml.Node) {
	n := min(len(have.Content), len(want.Content))
	for i := range n {
		syncNode(have.Content[i], want.Content[i])
	}
	if len(have.Content) > n {
		have.Content = have.Content[:n]
	}
	have.Content = append(have.Content, want.Content[n:]...)
}

// sameValue compares two scalars by what they mean, not how they are
// written ("5" and '5' are the same string).
func sameValue(a, b *kyaml.Node) bool {
	var x, y any
	if a.Decode(&x) != nil || b.Decode(&y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// setScalar gives have want's value; a string keeps the quoting or block
// style the person chose.
func setScalar(have, want *kyaml.Node) {
	if !(have.Tag == kyaml.NodeTagString && want.Tag == kyaml.NodeTagString) {
		have.Style = want.Style
	}
	have.Tag, have.Value = want.Tag, want.Value
}

// replaceNode puts want in have's place, keeping have's comments.
func replaceNode(have, want *kyaml.Node) {
	head, line, foot := have.HeadComment, have.LineComment, have.FootComment
	*have = *want
	have.HeadComment, have.LineComment, have.FootComment = head, line, foot
}
