package controlplane

import "net"

// FreePort returns a loopback port nobody listens on right now. Another
// process may still take it before ours binds; callers retry on that.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
