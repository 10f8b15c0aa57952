package gitstore_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"
)

// crashWriterEnv makes the test binary a writer that TestCrashKeepsAcknowledgedWrites kills.
const crashWriterEnv = "GITSTORE_CRASH_WRITER_REPO"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashWriterEnv); dir != "" {
		runCrashWriter(dir, os.Getenv("GITSTORE_CRASH_ROUND"))
		return
	}
	os.Exit(m.Run())
}

// runCrashWriter writes from four goroutines until killed, printing "ack KEY"
// only after the store acknowledged the write.
func runCrashWriter(dir, round string) {
	l := openLog(&testing.T{}, dir)
	s := podStore(&testing.T{}, l)
	var out sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				name := fmt.Sprintf("r%s-w%d-%d", round, g, i)
				in := &example.Pod{}
				in.Name, in.Namespace = name, "crash"
				if err := s.Create(context.Background(), "/pods/crash/"+name, in, &example.Pod{}, 0); err != nil {
					fmt.Fprintln(os.Stderr, "write failed:", err)
					os.Exit(3)
				}
				out.Lock()
				fmt.Printf("ack /pods/crash/%s\n", name)
				out.Unlock()
			}
		}()
	}
	wg.Wait()
}

func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	dir := t.TempDir()
	var acked []string
	const rounds = 12
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashWriterEnv+"="+dir, fmt.Sprintf("GITSTORE_CRASH_ROUND=%d", round))
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Kill at a random moment once the writer is writing.
		killAt := time.After(time.Duration(50+rand.IntN(400)) * time.Millisecond)
		started := false
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break read
				}
				if key, found := strings.CutPrefix(line, "ack "); found {
					acked = append(acked, key)
					started = true
				}
			case <-killAt:
				if !started {
					killAt = time.After(10 * time.Millisecond)
					continue
				}
				cmd.Process.Signal(syscall.SIGKILL)
				killAt = nil
			}
		}
		cmd.Wait()

		if out, err := exec.Command("git", "-C", dir, "fsck", "--full", "--no-progress").CombinedOutput(); err != nil {
			t.Fatalf("round %d: git fsck failed: %v\n%s", round, err, out)
		}
		l := openLog(t, dir)
		s := podStore(t, l)
		for _, key := range acked {
			if err := s.Get(t.Context(), key, storage.GetOptions{}, &example.Pod{}); err != nil {
				t.Fatalf("round %d: acknowledged write %s lost: %v", round, key, err)
			}
		}
		l.Close()
	}
	if len(acked) < rounds {
		t.Fatalf("only %d writes acknowledged in %d rounds; the writer did not run", len(acked), rounds)
	}
	t.Logf("%d acknowledged writes survived %d kills", len(acked), rounds)
}
