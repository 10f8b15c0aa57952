package gitrepository

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/source"
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

// excludeFor is the artifact filter of the checkout in dir: the defaults
// (or spec.ignore instead, gitignore syntax), the repository's own
// .sourceignore files, then spec.ignore again so that it has the last word.
// .git is left out either way.
func excludeFor(dir string, ignore *string) (artifact.Exclude, error) {
	defaults := defaultIgnore
	if ignore != nil {
		defaults = *ignore
	}
	patterns := source.ParseIgnore(alwaysIgnored+defaults, nil)
	inRepo, err := sourceIgnorePatterns(dir)
	if err != nil {
		return nil, err
	}
	patterns = append(patterns, inRepo...)
	if ignore != nil {
		patterns = append(patterns, source.ParseIgnore(*ignore, nil)...)
	}
	matcher := gitignore.NewMatcher(patterns)
	return func(rel string, isDir bool) bool {
		return matcher.Match(strings.Split(rel, "/"), isDir)
	}, nil
}

// sourceIgnorePatterns reads the .sourceignore files of the checkout, a
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
		if entry.IsDir() || entry.Name() != source.IgnoreFile {
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
		patterns = append(patterns, source.ParseIgnore(string(data), domain)...)
		return nil
	})
	return patterns, err
}
