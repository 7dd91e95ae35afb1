package sigv4

// PostPolicySignature is the SigV4 signature of a browser POST upload: the
// hex HMAC-SHA256 of the base64 policy document under the signing key of
// the credential scope (date is YYYYMMDD).
func PostPolicySignature(secret, date, region, service, policy string) string {
	return signHex(signingKey(secret, date, region, service), policy)
}

// EqualSignatures compares two signatures in constant time.
func EqualSignatures(a, b string) bool { return equalSig(a, b) }
