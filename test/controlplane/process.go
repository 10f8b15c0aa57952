package controlplane

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Process is a binary running in the background with its output in a log file.
type Process struct {
	Name    string
	LogPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	err     error // set before exited is closed
}

// StartProcess starts binary with args, appending its output to logPath.
// A detached process gets a session of its own and outlives the caller (for
// hack/local-up.sh); otherwise it is killed if the caller dies, so a crashed
// test leaves no etcd holding a port.
func StartProcess(name, binary string, args []string, logPath string, detached bool) (*Process, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	// The child keeps its own copy of the descriptor.
	defer logFile.Close()

	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = procAttr(detached)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{Name: name, LogPath: logPath, cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// Pid is the operating-system process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited is closed when the process has ended.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Stop asks the process to terminate and kills it if it has not within ten
// seconds. Stopping an ended process does nothing.
func (p *Process) Stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// exitError describes an early exit with the end of the log, which usually
// names the cause (a taken port, a bad flag).
func (p *Process) exitError() error {
	return fmt.Errorf("%s exited (%v); end of %s:\n%s", p.Name, p.err, p.LogPath, p.LogTail(20))
}

// LogTail returns the last n lines of the process log.
func (p *Process) LogTail(n int) string {
	data, err := os.ReadFile(p.LogPath)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// waitReady polls ready until it succeeds, the process exits or the timeout
// passes.
func (p *Process) waitReady(timeout time.Duration, ready func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v: %w; end of %s:\n%s", p.Name, timeout, err, p.LogPath, p.LogTail(20))
		}
		select {
		case <-p.exited:
			return p.exitError()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
