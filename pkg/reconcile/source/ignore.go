package source

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"gitops.io/apiserver/pkg/reconcile/artifact"
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

// ExcludeFor is the artifact filter of the source files in dir: the defaults
// (or spec.ignore instead, gitignore syntax), the repository's own
// .sourceignore files, then spec.ignore again so that it has the last word.
// .git is left out either way.
func ExcludeFor(dir string, ignore *string) (artifact.Exclude, error) {
	defaults := defaultIgnore
	if ignore != nil {
		defaults = *ignore
	}
	patterns := ParseIgnore(alwaysIgnored+defaults, nil)
	inRepo, err := sourceIgnorePatterns(dir)
	if err != nil {
		return nil, err
	}
	patterns = append(patterns, inRepo...)
	if ignore != nil {
		patterns = append(patterns, ParseIgnore(*ignore, nil)...)
	}
	matcher := gitignore.NewMatcher(patterns)
	return func(rel string, isDir bool) bool {
		return matcher.Match(strings.Split(rel, "/"), isDir)
	}, nil
}

// sourceIgnorePatterns reads the .sourceignore files in dir, a
// folder's before its subfolders', each applying below its own folder.
func sourceIgnorePatterns(dir string) ([]gitignore.Pattern, error) {
	var patterns []gitignore.Pattern
	err := filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if entry.IsDir() && entry.Name() == ".git" {
			return filepath.SkipDir
		}
		if entry.IsDir() || entry.Name() != IgnoreFile {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, filepath.Dir(path))
		if err != nil {
			return err
		}
		var domain []string
		if rel != "." {
			domain = strings.Split(filepath.ToSlash(rel), "/")
		}
		patterns = append(patterns, ParseIgnore(string(data), domain)...)
		return nil
	})
	return patterns, err
}
