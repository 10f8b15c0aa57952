package gitrepository

import (
	"bufio"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// alwaysIgnored is never part of an artifact: Git's own data.
const alwaysIgnored = ".git/\n"

// defaultIgnore is Flux's default .sourceignore set, used when spec.ignore
// is not set: Git metadata, CI configuration and binaries that manifests
// never need.
const defaultIgnore = `.gitignore
.gitmodules
.gitattributes
*.jpg
*.jpeg
*.gif
*.png
*.wmv
*.flv
*.tar.gz
*.zip
.github/
.circleci/
.travis.yml
.gitlab-ci.yml
appveyor.yml
.drone.yml
cloudbuild.yaml
codeship-services.yml
codeship-steps.yml
**/.goreleaser.yml
**/.sops.yaml
**/.flux.yaml
`

// excludeFor turns spec.ignore (gitignore syntax) into the artifact filter.
// spec.ignore replaces the default set; .git is left out either way.
func excludeFor(ignore *string) artifact.Exclude {
	patterns := alwaysIgnored + defaultIgnore
	if ignore != nil {
		patterns = alwaysIgnored + *ignore
	}
	matcher := gitignore.NewMatcher(parseIgnore(patterns))
	return func(rel string, isDir bool) bool {
		return matcher.Match(strings.Split(rel, "/"), isDir)
	}
}

func parseIgnore(text string) []gitignore.Pattern {
	var patterns []gitignore.Pattern
	scanner := bufio.NewScanner(strings.NewReader(text))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		patterns = append(patterns, gitignore.ParsePattern(line, nil))
	}
	return patterns
}
