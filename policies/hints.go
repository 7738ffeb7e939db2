package policies

import "strings"

// awsKeyPrefixes start every AWS access key id the rule no-inline-secrets
// looks for (its aws_key pattern). When no string of the input, a key or a
// value at any depth, contains one, the engine tells the rules so
// (context.noAwsKeyPrefix): no-inline-secrets then skips writing every spec
// out as text to search it, a fifth of the evaluation of a large set. The
// converter looks at each distinct string once, and at more than the rule
// reads (every kind, not only specs), so the word can only let the rule
// look in vain, never make it miss a key.
var awsKeyPrefixes = [...]string{"AKIA", "ASIA", "ABIA", "ACCA"}

// hasAWSKeyPrefix reports whether s contains one of awsKeyPrefixes.
func hasAWSKeyPrefix(s string) bool {
	for {
		i := strings.IndexByte(s, 'A')
		if i < 0 || len(s)-i < 4 {
			return false
		}
		for _, p := range awsKeyPrefixes {
			if s[i:i+4] == p {
				return true
			}
		}
		s = s[i+1:]
	}
}
