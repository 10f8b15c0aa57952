package layout

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// mergeLines carries the change from base to edited over to file, where
// base is file as the YAML library writes it: each changed run of base's
// lines is replaced in file where those lines are, so every other line of
// file stays as it was. It returns nil when a changed line has no
// counterpart in file.
func mergeLines(file, base, edited []byte) []byte {
	fileLines := strings.SplitAfter(string(file), "\n")
	baseLines := strings.SplitAfter(string(base), "\n")
	editedLines := strings.SplitAfter(string(edited), "\n")
	inFile := map[int]int{} // base line -> the same line in file
	for _, op := range matcher(baseLines, fileLines).GetOpCodes() {
		// Equal lines, or as many lines written differently (spacing,
		// say): the same lines as far as an edit goes.
		if op.Tag == 'e' || op.Tag == 'r' && op.I2-op.I1 == op.J2-op.J1 {
			for i := op.I1; i < op.I2; i++ {
				inFile[i] = op.J1 + i - op.I1
			}
		}
	}
	ops := matcher(baseLines, editedLines).GetOpCodes()
	out := fileLines
	// From the end, so the file positions of earlier runs stay valid.
	for k := len(ops) - 1; k >= 0; k-- {
		op := ops[k]
		if op.Tag == 'e' {
			continue
		}
		var from, to int
		if op.I1 == op.I2 { // an insertion: after the line before it
			before, ok := inFile[op.I1-1]
			switch {
			case ok:
				from = before + 1
			case op.I1 == 0:
				from = 0
			default:
				return nil
			}
			to = from
		} else {
			first, ok1 := inFile[op.I1]
			last, ok2 := inFile[op.I2-1]
			if !ok1 || !ok2 {
				return nil
			}
			from, to = first, last+1
		}
		lines := editedLines[op.J1:op.J2]
		if op.Tag == 'r' && op.I2-op.I1 == op.J2-op.J1 && to-from == len(lines) {
			lines = make([]string, len(lines))
			for i := range lines {
				lines[i] = editLine(out[from+i], baseLines[op.I1+i], editedLines[op.J1+i])
			}
		}
		replaced := append([]string{}, out[:from]...)
		replaced = append(replaced, lines...)
		out = append(replaced, out[to:]...)
	}
	return []byte(strings.Join(out, ""))
}

// matcher compares lines exactly; without difflib's junk heuristic, which
// would skip frequent lines such as "- name: x" in a long file.
func matcher(a, b []string) *difflib.SequenceMatcher {
	return difflib.NewMatcherWithJunk(a, b, false, nil)
}

// editLine makes in line, which the library writes as base, the change from
// base to edited, when the changed part is where it is in base: so a value
// changes and the spacing before its comment stays.
func editLine(line, base, edited string) string {
	if line == base {
		return edited
	}
	prefix := commonPrefix(base, edited)
	suffix := commonSuffix(base[prefix:], edited[prefix:])
	old, replacement := base[prefix:len(base)-suffix], edited[prefix:len(edited)-suffix]
	if !strings.HasPrefix(line, base[:prefix]) || !strings.HasPrefix(line[prefix:], old) {
		return edited
	}
	return line[:prefix] + replacement + line[prefix+len(old):]
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commonSuffix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}
