package source

import (
	"bufio"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// IgnoreFile is the file of ignore patterns a source may hold, for its
// folder and those below, as in Flux.
const IgnoreFile = ".sourceignore"

// ParseIgnore reads gitignore-syntax patterns, one a line, skipping blank
// lines and comments. domain is the folder (split at "/") they apply
// below; nil for the whole source.
func ParseIgnore(text string, domain []string) []gitignore.Pattern {
	var patterns []gitignore.Pattern
	scanner := bufio.NewScanner(strings.NewReader(text))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		patterns = append(patterns, gitignore.ParsePattern(line, domain))
	}
	return patterns
}
