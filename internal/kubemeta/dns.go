package kubemeta

// The API server's name rules are regular expressions
// (k8s.io/apimachinery/pkg/util/validation), run for every object: in a
// validate of 1,000 environments their backtracking matcher took more CPU
// than the rest of the schema checks. A name that passes these scans
// passes them too, and one that does not is handed to them, for their
// messages (FuzzNameScans holds the scans to the expressions).

// isDNS1123Label reports whether s is a DNS-1123 label: 1 to 63 lower case
// alphanumerics or '-', starting and ending with an alphanumeric.
func isDNS1123Label(s string) bool {
	return len(s) <= 63 && labelEnd(s, 0) == len(s)
}

// isDNS1123Subdomain reports whether s is a DNS-1123 subdomain: at most
// 253 characters, labels (of any length) joined by '.'.
func isDNS1123Subdomain(s string) bool {
	if len(s) > 253 {
		return false
	}
	for i := 0; ; i++ {
		end := labelEnd(s, i)
		if end < 0 {
			return false
		}
		if end == len(s) {
			return true
		}
		if s[end] != '.' {
			return false
		}
		i = end
	}
}

// labelEnd returns where the label starting at s[i] ends (the index of
// the first byte after it), or -1 when no label starts there.
func labelEnd(s string, i int) int {
	start := i
	for i < len(s) && (isLowerAlnum(s[i]) || s[i] == '-') {
		i++
	}
	if i == start || !isLowerAlnum(s[start]) || !isLowerAlnum(s[i-1]) {
		return -1
	}
	return i
}

func isLowerAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
