# Entry points for people and CI (.ci/run). Scripts live in hack/.
GO ?= go

.PHONY: test control-plane local-up local-down codegen verify

# Tests run against a real etcd and kube-apiserver; building them comes first so
# a cold build (minutes) is reported as such rather than as a slow test.
test: control-plane
	$(GO) test -race -count=1 -timeout=60m ./...

control-plane:
	hack/build-control-plane.sh

local-up:
	hack/local-up.sh

local-down:
	hack/local-down.sh

codegen:
	hack/update-codegen.sh

verify:
	@unformatted=$$(git ls-files --cached --others --exclude-standard '*.go' | xargs -r gofmt -l); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	hack/staticcheck.sh
	@if [ -x hack/verify-codegen.sh ]; then hack/verify-codegen.sh; fi
