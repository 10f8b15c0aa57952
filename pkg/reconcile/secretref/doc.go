// Package secretref is the one way a reconciler reads the Secrets and
// ConfigMaps its objects refer to, and parses Flux's conventional keys of
// them.
//
// A Ref (ref.go) names the object and the field that refers to it; a Reader
// (read.go) gets its data. The parsers take that data: auth.go (username
// and password, bearerToken), tls.go (ca.crt, tls.crt and tls.key, or
// Flux's older caFile, certFile and keyFile), proxy.go (address, username
// and password) and dockerconfig.go (.dockerconfigjson).
//
// A Secret's contents never stall an object: a Secret changes without the
// object changing, so every error of this package is a plain failure, to be
// retried. Its message names the field, the Secret and the key, never a
// value, for a value may be a password.
package secretref
