package helmrelease

import (
	"context"
	"errors"
	"testing"

	"github.com/fluxcd/pkg/ssa"
)

func TestARunBuildsOneResourceManagerAndSharesIt(t *testing.T) {
	builds := 0
	m := &targetManager{build: func(context.Context) (*ssa.ResourceManager, error) {
		builds++
		if builds == 1 {
			return nil, errors.New("the kubeConfig Secret is not there yet")
		}
		return &ssa.ResourceManager{}, nil
	}}
	if _, err := m.get(t.Context()); err == nil {
		t.Fatal("a failed build is not reported")
	}
	first, err := m.get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	again, err := m.get(t.Context())
	if err != nil || again != first || builds != 2 {
		t.Errorf("after a failed build and a good one: %p then %p, %d builds; want the failure retried, then one manager shared", first, again, builds)
	}
}
