package policies

import (
	"context"
	"encoding/base64"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/digx/fluxtf/internal/manifest"
)

// Test values (never real credentials: the AWS documentation's example
// key, and made-up tokens and keys of the right shape).
const (
	exampleKeyID     = "AKIAIOSFODNN7EXAMPLE"
	exampleSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	exampleGHP       = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
	examplePEM       = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAzzzz\n-----END RSA PRIVATE KEY-----\n"
)

var exampleFineGrainedPAT = "github_pat_" + strings.Repeat("A1b2_", 16) + "xy"

func TestConvertFindsCredentialHints(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		obj      map[string]any
		want     bool
		listKeys []string
	}{
		{name: "none", obj: map[string]any{"spec": map[string]any{"vars": []any{map[string]any{"name": "region", "value": "eu-west-1"}}}}, listKeys: []string{"name", "value"}},
		{name: "non-strings", obj: map[string]any{"spec": map[string]any{"a": int64(1), "b": 2.5, "c": true, "d": nil}}},
		{name: "look-alikes", obj: map[string]any{"spec": map[string]any{"x": "AKI", "y": "akia", "z": "A KIA", "w": "AAKI", "v": "gh_x", "u": "private key", "sha": "0123456789abcdef0123456789abcdef01234567"[:39]}}},
		{name: "key id", obj: map[string]any{"spec": map[string]any{"tags": map[string]any{"Owner": exampleKeyID}}}, want: true},
		{name: "in a list", obj: map[string]any{"spec": map[string]any{"vars": []any{"x", []any{"id=ASIA0000"}}}}, want: true},
		{name: "a key", obj: map[string]any{"spec": map[string]any{"ABIA0000000000000000": "x"}}, want: true},
		{name: "at the end", obj: map[string]any{"spec": "xxACCA"}, want: true},
		{name: "outside spec", obj: map[string]any{"metadata": map[string]any{"annotations": map[string]any{"k": "AKIA"}}}, want: true},
		{name: "github token", obj: map[string]any{"spec": map[string]any{"t": exampleGHP}}, want: true},
		{name: "fine-grained token", obj: map[string]any{"spec": map[string]any{"t": exampleFineGrainedPAT}}, want: true},
		{name: "private key", obj: map[string]any{"spec": map[string]any{"k": examplePEM}}, want: true},
		{name: "basic auth", obj: map[string]any{"spec": map[string]any{"auth": "Basic YWRtaW46aHVudGVyMg=="}}, want: true},
		{name: "40 base64 characters", obj: map[string]any{"spec": map[string]any{"k": "x=" + exampleSecretKey}}, want: true},
		{name: "base64 key id", obj: map[string]any{"spec": map[string]any{"k": base64.StdEncoding.EncodeToString([]byte("id=" + exampleKeyID))}}, want: true},
		{name: "base64 without the keyword", obj: map[string]any{"spec": map[string]any{"k": base64.StdEncoding.EncodeToString([]byte("nothing to see in here at all"))}}},
		{name: "keys in lists", obj: map[string]any{"spec": map[string]any{"vars": []any{map[string]any{"name": "db", "value": map[string]any{"user": "a", "dbPass": "b"}}}, "top": map[string]any{"writeOutputsToSecret": "x"}}}, listKeys: []string{"dbPass", "name", "user", "value"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			docs := []*manifest.Doc{{File: "a.yaml", Object: map[string]any{"kind": "ConfigMap"}}, {File: "b.yaml", Object: tc.obj}}
			got, err := convertDocs(docs)
			if err != nil {
				t.Fatal(err)
			}
			if got.hints.credential != tc.want {
				t.Errorf("credential = %v, want %v", got.hints.credential, tc.want)
			}
			if keys := got.hints.sortedListKeys(); !slices.Equal(keys, tc.listKeys) && (len(keys) > 0 || len(tc.listKeys) > 0) {
				t.Errorf("list keys = %v, want %v", keys, tc.listKeys)
			}
			// the reference (FLUXTF_SLOW) notes the same hints
			ref := newHints()
			if _, err := referenceValue(tc.obj, ref); err != nil {
				t.Fatal(err)
			}
			if ref.credential != tc.want || !slices.Equal(ref.sortedListKeys(), got.hints.sortedListKeys()) {
				t.Errorf("reference hints: credential %v, list keys %v; want %v, %v", ref.credential, ref.sortedListKeys(), tc.want, got.hints.sortedListKeys())
			}
		})
	}
}

// TestCredentialKeywordsMatchTheRule: the keywords the converter looks for
// are no-inline-secrets' keywords, so that the engine's word
// (context.noCredentialHint) never hides what the rule would find.
func TestCredentialKeywordsMatchTheRule(t *testing.T) {
	t.Parallel()
	src, err := fs.ReadFile(Embedded, "rules/no_inline_secrets.rego")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^keywords := \[([^\]]*)\]`).FindStringSubmatch(string(src))
	if m == nil {
		t.Fatal("no keywords in no_inline_secrets.rego")
	}
	var rule []string
	for _, k := range strings.Split(m[1], ",") {
		rule = append(rule, strings.Trim(strings.TrimSpace(k), `"`))
	}
	if !slices.Equal(rule, credentialKeywords[:]) {
		t.Errorf("the rule's keywords are %q, the converter's %q", rule, credentialKeywords)
	}
}

// TestMayHoldCredentialCoversTheRule: every string in which the rule's
// detectors (credentials(s)) find something is one the converter flags,
// and each detector finds what it is for (so the check cannot pass by
// finding nothing), while the look-alikes are left alone.
func TestMayHoldCredentialCoversTheRule(t *testing.T) {
	t.Parallel()
	lib, _, err := loadModules(Embedded, []string{"lib", "rules"}, false)
	if err != nil {
		t.Fatal(err)
	}
	q, err := prepare(context.Background(), `x := data.fluxtf.rules.no_inline_secrets.credentials(input)`, sandboxCapabilities(), nil, lib)
	if err != nil {
		t.Fatal(err)
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	cases := []struct {
		s       string
		what    string // "" for nothing found
		certain bool
	}{
		{s: exampleKeyID, what: "an AWS access key id", certain: true},
		{s: "aws_access_key_id = ASIAIOSFODNN7EXAMPLE\n", what: "an AWS access key id", certain: true},
		{s: exampleGHP, what: "a GitHub token", certain: true},
		{s: "token " + strings.Replace(exampleGHP, "ghp_", "ghs_", 1), what: "a GitHub token", certain: true},
		{s: exampleFineGrainedPAT, what: "a GitHub token", certain: true},
		{s: examplePEM, what: "a private key", certain: true},
		{s: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", what: "a private key", certain: true},
		{s: "-----BEGIN PGP PRIVATE KEY BLOCK-----", what: "a private key", certain: true},
		{s: exampleSecretKey, what: "an AWS secret access key"},
		{s: "secret=" + exampleSecretKey + "\n", what: "an AWS secret access key"},
		{s: "Basic YWRtaW46aHVudGVyMg==", what: "an HTTP Basic authorization"},
		{s: "Authorization: basic dXNlcjpzM2NyM3Rwdw==", what: "an HTTP Basic authorization"},
		{s: b64(exampleKeyID), what: "an AWS access key id, base64-encoded", certain: true},
		{s: b64("[default]\naws_access_key_id=" + exampleKeyID), what: "an AWS access key id, base64-encoded", certain: true},
		{s: strings.TrimRight(b64(exampleKeyID), "="), what: "an AWS access key id, base64-encoded", certain: true},
		{s: b64(examplePEM), what: "a private key, base64-encoded", certain: true},
		{s: b64(exampleGHP), what: "a GitHub token, base64-encoded", certain: true},
		// the well-known token shapes (made up, written in pieces)
		{s: "xoxb-1234567890-1234567890123-" + strings.Repeat("AbCd", 6), what: "a Slack token", certain: true},
		{s: "xoxp-1234567890-1234567890-1234567890-" + strings.Repeat("0a1b", 8), what: "a Slack token", certain: true},
		{s: "xapp-1-A0123456789-1234567890123-" + strings.Repeat("0a1b", 8), what: "a Slack token", certain: true},
		{s: "https://hooks.slack.com/services/T00000000/B00000000/" + strings.Repeat("Xy", 12), what: "a Slack webhook URL", certain: true},
		{s: "glpat-" + strings.Repeat("aB3_", 5), what: "a GitLab token", certain: true},
		{s: "sk" + "_live_" + strings.Repeat("a1B2", 6), what: "a Stripe live key", certain: true},
		{s: "rk" + "_test_" + strings.Repeat("a1B2", 6), what: "a Stripe test key"},
		{s: "AI" + "za" + strings.Repeat("Sy0_b", 7), what: "a Google API key", certain: true},
		{s: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", what: "a JSON Web Token"},
		{s: "AccountName=x;AccountKey=" + strings.Repeat("Ab3+Cd9/Ef", 9)[:86] + "==;", what: "an Azure storage account key", certain: true},
		{s: "postgres://app:s3cr3t" + "P4ss@db:5432/app", what: "a URL with a password"},
		{s: "x https://u:p" + "@example.com/", what: "a URL with a password"},
		{s: "np" + "m_" + strings.Repeat("a1B2", 9), what: "an npm token", certain: true},
		{s: "SG." + strings.Repeat("aB3-_c", 4)[:22] + "." + strings.Repeat("aB3-_c", 8)[:43], what: "a SendGrid API key", certain: true},
		{s: "hv" + "s." + strings.Repeat("CAESIa1-_", 11), what: "a HashiCorp Vault token", certain: true},
		{s: "hv" + "b." + strings.Repeat("AAAAAQb1-_", 15), what: "a HashiCorp Vault token", certain: true},
		{s: "S" + "K" + strings.Repeat("0a1B", 8), what: "a Twilio API key"},
		{s: "py" + "pi-AgEIcHlwaS5vcmc" + strings.Repeat("Ab1-_", 12), what: "a PyPI token", certain: true},
		{s: `{"auths":{"ghcr.io":{"auth":"` + b64("robot:hunter22") + `"}}}`, what: "a Docker registry authentication"},
		{s: b64("token: glpat-" + strings.Repeat("aB3_", 5)), what: "a GitLab token, base64-encoded", certain: true},
		// a Docker config as YAML text, and what a Secret's data decodes to
		{s: "auths:\n  ghcr.io:\n    auth: " + b64("robot:hunter22") + "\n", what: "a Docker registry authentication"},
		// look-alikes and placeholders
		{s: "Authorization: basic dXNlcjpwYXNzd29yZA=="}, // user:password
		{s: `{"auths":{"ghcr.io":{"auth":"` + b64("robot:${REGISTRY_TOKEN}") + `"}}}`},
		{s: "auths:\n  ghcr.io:\n    auth: " + b64("<user>:<token>") + "\n"},
		{s: "sk" + "_test_" + strings.Repeat("x", 24)},
		{s: "S" + "K" + strings.Repeat("0", 32)},
		{s: "eyJ" + strings.Repeat("x", 20) + ".eyJ" + strings.Repeat("x", 20) + "." + strings.Repeat("x", 20)},
		{s: "postgres://app:REPLACE_ME@db/app"},
		{s: "xoxb-your-bot-token"},
		{s: "glpat-changeme"},
		{s: "SKU-0123456789"},
		{s: "postgres://app:${DB_PASSWORD}@db:5432/app"},
		{s: "https://user:<redacted>@example.com"},
		{s: "postgres://app:changeme@db/app"},
		{s: "ssh://git@github.com/digx/infrastructure.git"},
		{s: "AKIA keys are not allowed"},
		{s: "ghp_short"},
		{s: "see the private key section"},
		{s: "Basic authentication is enabled"},
		{s: "Basic Auth"},
		{s: "0123456789abcdef0123456789abcdef01234567"}, // a git commit id
		{s: "infrastructure/modules/Karpenter/v1beta1"}, // a path of 40 characters
		{s: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"},
		{s: "arn:aws:iam::111111111111:role/flux-terraform"},
		{s: b64("just some text that is long enough")},
		{s: "https://raw.githubusercontent.com/weaveworks/tf-controller/main/README.md"},
	}
	// the rule decodes a Secret's data values and searches them whole:
	// the hint holds for what such a value decodes to
	for _, tc := range cases {
		if len(tc.s) >= 18 && tc.what != "" && !mayHoldCredential(b64(tc.s)) {
			t.Errorf("%q, base64-encoded as in a Secret's data: the converter's hint misses it", tc.s)
		}
	}
	for _, tc := range cases {
		rs, err := q.Eval(context.Background(), rego.EvalInput(tc.s))
		if err != nil || len(rs) != 1 {
			t.Fatalf("%q: %v %v", tc.s, rs, err)
		}
		found, _ := rs[0].Bindings["x"].([]any)
		var whats []string
		certain := false
		for _, f := range found {
			m := f.(map[string]any)
			whats = append(whats, m["what"].(string))
			certain = certain || m["certain"].(bool)
		}
		switch {
		case tc.what == "" && len(found) > 0:
			t.Errorf("%q: the rule finds %v, want nothing", tc.s, whats)
		case tc.what != "" && !slices.Contains(whats, tc.what):
			t.Errorf("%q: the rule finds %v, want %s", tc.s, whats, tc.what)
		case tc.what != "" && certain != tc.certain:
			t.Errorf("%q: certain = %v, want %v", tc.s, certain, tc.certain)
		}
		if len(found) > 0 && !mayHoldCredential(tc.s) {
			t.Errorf("%q: the rule finds %v but the converter's hint misses it", tc.s, whats)
		}
	}
}

// TestShapeHints: the converter's hints for the detectors without a
// keyword, a Twilio key and a URL with a password, and their look-alikes.
func TestShapeHints(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"S" + "K" + strings.Repeat("0a1B", 8):    true,
		"xSK" + strings.Repeat("0a1B", 8) + "zz": true,
		"SK" + strings.Repeat("0a1B", 7) + "SK":  false,
		"SKU-1 SK12":                             false,
		"postgres://app:p" + "w@db":              true,
		"a://b c://u:p" + "@h":                   true,
		"https://example.com/a:b@c":              false,
		"ssh://git@github.com/x":                 false,
		"https://u:@h":                           false,
		"https://u:p\n@h":                        false,
		"no scheme user:pw@host":                 false,
	} {
		if got := hasTwilioKey(s) || hasURLPassword(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}

// TestHasKeywordIsContains: hasKeyword's one pass finds a keyword exactly
// where strings.Contains of any keyword does.
func TestHasKeywordIsContains(t *testing.T) {
	t.Parallel()
	for _, k := range credentialKeywords {
		for _, s := range []string{k, "x" + k, k + "y", "ab " + k + " cd", k[:len(k)-1], k[1:]} {
			want := slices.ContainsFunc(credentialKeywords[:], func(k string) bool { return strings.Contains(s, k) })
			if got := hasKeyword(s); got != want {
				t.Errorf("%q: %v, want %v", s, got, want)
			}
		}
	}
}
