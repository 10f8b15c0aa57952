package secretref

// BasicAuth is Flux's username and password keys; both empty when the
// Secret has neither. Which of them a kind requires is the kind's rule.
func BasicAuth(data map[string][]byte) (username, password string) {
	return string(data["username"]), string(data["password"])
}

// BearerToken is Flux's bearerToken key; empty when the Secret has none.
func BearerToken(data map[string][]byte) string {
	return string(data["bearerToken"])
}
