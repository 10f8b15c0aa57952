// Package identity says whom a reconciler acts as on the cluster for an
// object, and what that identity may do there: the ServiceAccount of its
// spec.serviceAccountName when set, else its owner (status.owner, the user
// who created it), by impersonation. Only objects stored before owners were
// recorded act as the server itself, and Adopt records that once.
package identity
