package policies

import (
	"encoding/base64"
	"maps"
	"slices"
	"strings"
)

// credentialKeywords: every value that a credential detector of the rule
// no-inline-secrets matches by a fixed part (an AWS access key id, a
// GitHub token, a private key, a Basic authorization) contains one of
// these, in plain text or base64-encoded; they are the rule's `keywords`
// (TestCredentialKeywordsMatchTheRule), as gitleaks' rules carry keywords
// to skip the text that cannot match. The rule's other detector, an AWS
// secret access key, has no fixed part: a run of exactly 40 base64
// characters stands for it (see mayHoldCredential); nor have a Twilio key
// (SK and 32 hex digits) and a URL with a password (twilioKey, urlPassword:
// the rule's _shapes).
var credentialKeywords = [...]string{
	"AKIA", "ASIA", "ABIA", "ACCA",
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
	"PRIVATE KEY",
	"Basic", "basic",
	"xoxb-", "xoxp-", "xoxe-", "xapp-", "hooks.slack.com",
	"glpat-",
	"sk_live_", "rk_live_", "sk_test_", "rk_test_",
	"AIza", "eyJ", "AccountKey=", "npm_", "SG.", "hvs.", "hvb.",
	"pypi-AgEIcHlwaS5vcmc", "auths",
}

// awsSecretLen is the length of an AWS secret access key.
const awsSecretLen = 40

// minEncodedRun is the shortest run of base64 characters that the rule
// decodes to look for an encoded credential (20 bytes, an access key id,
// take 28; the shortest GitHub token 40).
const minEncodedRun = 24

// hints are what the converter notes while it converts the input, so that
// no-inline-secrets can skip work that cannot find anything (docs/policies.md,
// "Input document"):
//
//   - credential: some string, a key or a value at any depth of any
//     object, may hold a credential (mayHoldCredential); when none does,
//     the engine says so (context.noCredentialHint) and the rule does not
//     write the specs and annotations out as text to search them, a fifth
//     of the evaluation of a large set;
//   - listKeys: the keys of every mapping that sits in a list, at any
//     depth (every key inside a Terraform var's value does), given to the
//     rule as context.keysInLists: only when one of them looks secret does
//     the rule walk the vars' values for nested secret-named fields.
//
// Each distinct string is looked at once per converter, and at more than
// the rule reads (every kind, not only specs), so the hints can only let
// the rule look in vain, never make it miss a secret.
type hints struct {
	credential bool
	listKeys   map[string]struct{}
}

func newHints() *hints { return &hints{listKeys: map[string]struct{}{}} }

// merge adds o's hints to h.
func (h *hints) merge(o *hints) {
	h.credential = h.credential || o.credential
	for k := range o.listKeys {
		h.listKeys[k] = struct{}{}
	}
}

// sortedListKeys returns the list keys in order.
func (h *hints) sortedListKeys() []string {
	return slices.Sorted(maps.Keys(h.listKeys))
}

// mayHoldCredential reports whether s contains one of credentialKeywords,
// a Twilio-shaped key, a URL with a password, a run of exactly
// awsSecretLen base64 characters, or a run of at least minEncodedRun
// base64 characters that decodes to text of which mayHoldCredential holds
// (the rule decodes a Secret's data values and searches them whole).
// Every string in which the rule's `credential` finds something passes
// (TestMayHoldCredentialCoversTheRule).
func mayHoldCredential(s string) bool {
	if len(s) < 4 {
		return false
	}
	if hasKeyword(s) || hasTwilioKey(s) || hasURLPassword(s) {
		return true
	}
	for i := 0; i < len(s); {
		if !isBase64Char(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isBase64Char(s[j]) {
			j++
		}
		run := s[i:j]
		if len(run) == awsSecretLen {
			return true
		}
		if len(run) >= minEncodedRun {
			for j < len(s) && s[j] == '=' {
				j++
			}
			// what the run decodes to may hold anything a string may
			// (a Secret's data, which the rule decodes)
			if decoded, ok := decodeRun(run); ok && mayHoldCredential(decoded) {
				return true
			}
		}
		i = j
	}
	return false
}

func isBase64Char(b byte) bool {
	return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '+' || b == '/'
}

// decodeRun decodes a run of base64 characters (without its padding) as
// the rule's _decoded does: a dangling last character is dropped.
func decodeRun(run string) (string, bool) {
	if len(run)%4 == 1 {
		run = run[:len(run)-1]
	}
	b, err := base64.RawStdEncoding.DecodeString(run)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// hasTwilioKey reports whether s holds "SK" and 32 hex digits (the rule's
// twilio_key, without its boundaries).
func hasTwilioKey(s string) bool {
	for i := strings.Index(s, "SK"); i >= 0; {
		j := i + 2
		for j < len(s) && j-i-2 < 32 && isHexChar(s[j]) {
			j++
		}
		if j-i-2 == 32 {
			return true
		}
		k := strings.Index(s[i+2:], "SK")
		if k < 0 {
			break
		}
		i += 2 + k
	}
	return false
}

func isHexChar(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

// hasURLPassword reports whether s holds "://", then a user information
// with a ':' and a non-empty password before an '@', without '/' or
// white space (the rule's second _shapes).
func hasURLPassword(s string) bool {
	for i := strings.Index(s, "://"); i >= 0; {
		rest := s[i+3:]
		colon := false
		n := 0 // characters of the password
		for k := 0; k < len(rest); k++ {
			c := rest[k]
			if c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
				break
			}
			if c == '@' {
				if colon && n > 0 {
					return true
				}
				break
			}
			if colon {
				n++
			} else if c == ':' {
				colon = true
			}
		}
		k := strings.Index(rest, "://")
		if k < 0 {
			break
		}
		i += 3 + k
	}
	return false
}

// keywordsByFirst lists credentialKeywords by their first byte, so that
// hasKeyword reads s once (32 strings.Contains calls read it 32 times).
var keywordsByFirst = func() (m [256][]string) {
	for _, k := range credentialKeywords {
		m[k[0]] = append(m[k[0]], k)
	}
	return m
}()

// hasKeyword reports whether s contains one of credentialKeywords.
func hasKeyword(s string) bool {
	for i := 0; i < len(s); i++ {
		for _, k := range keywordsByFirst[s[i]] {
			if strings.HasPrefix(s[i:], k) {
				return true
			}
		}
	}
	return false
}
