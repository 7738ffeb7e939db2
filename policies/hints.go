package policies

import (
	"strings"
	"sync/atomic"

	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/parallel"
)

// awsKeyPrefixes start every AWS access key id the rule no-inline-secrets
// looks for (its aws_key pattern).
var awsKeyPrefixes = [...]string{"AKIA", "ASIA", "ABIA", "ACCA"}

// awsKeyPrefixIn reports whether some string of the documents, a key or a
// value at any depth, contains one of awsKeyPrefixes. When none does, the
// engine tells the rules so (context.noAwsKeyPrefix): no-inline-secrets
// then skips writing every spec out as text to search it, a fifth of the
// evaluation of a large set. The scan covers more than the rule reads
// (every kind, not only specs), so it can only let the rule look in vain,
// never make it miss a key.
func awsKeyPrefixIn(docs []*manifest.Doc) bool {
	var found atomic.Bool
	parallel.For(len(docs), func(i int) {
		if !found.Load() && anyAWSKeyPrefix(docs[i].Object) {
			found.Store(true)
		}
	})
	return found.Load()
}

func anyAWSKeyPrefix(v any) bool {
	switch v := v.(type) {
	case string:
		return hasAWSKeyPrefix(v)
	case map[string]any:
		for k, x := range v {
			if hasAWSKeyPrefix(k) || anyAWSKeyPrefix(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if anyAWSKeyPrefix(x) {
				return true
			}
		}
	}
	return false
}

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
