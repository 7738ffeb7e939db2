package policies

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/digx/fluxtf/internal/contract"
)

// TestSecretNameParity holds contract.SecretName (the generator refuses an
// inline value for such a variable in a spec) and lib.secret_name (the
// rule no-inline-secrets) in step: the same pattern, the same exceptions
// and the same answer for every name below.
func TestSecretNameParity(t *testing.T) {
	t.Parallel()
	lib, _, err := loadModules(Embedded, []string{"lib"}, false)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{
		"db_password", "dbPass", "api_token", "apiKey", "ssh_key", "client_secret", "password",
		"db_password_arn", "api_key_enabled", "secret_name", "token_ttl", "kms_key_id",
		"cluster_name", "region", "monkey", "passenger_count", "keyboard", "private-key", "Access.Key",
		"tokens", "credentials_file", "secrets", "bypass", "github_token",
	}
	opts := []func(*rego.Rego){rego.Query(`x := {
		"part": data.fluxtf.lib.secret_part,
		"last": data.fluxtf.lib.not_secret_last,
		"secret": {n | some n in input; data.fluxtf.lib.secret_name(n)},
	}`), rego.Input(names)}
	for _, m := range lib {
		opts = append(opts, rego.ParsedModule(m))
	}
	rs, err := rego.New(opts...).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("eval: %v", err)
	}
	x := rs[0].Bindings["x"].(map[string]any)
	if x["part"] != contract.SecretPart.String() {
		t.Errorf("lib.secret_part is\n%s\ncontract.SecretPart is\n%s", x["part"], contract.SecretPart)
	}
	strs := func(v any) []string {
		var out []string
		for _, s := range v.([]any) {
			out = append(out, s.(string))
		}
		sort.Strings(out)
		return out
	}
	last := append([]string(nil), contract.NotSecretLast...)
	sort.Strings(last)
	if got := strs(x["last"]); !reflect.DeepEqual(got, last) {
		t.Errorf("lib.not_secret_last is %v, contract.NotSecretLast %v", got, last)
	}
	rego := map[string]bool{}
	for _, n := range strs(x["secret"]) {
		rego[n] = true
	}
	secrets := 0
	for _, n := range names {
		if g := contract.SecretName(n); g != rego[n] {
			t.Errorf("%s: contract.SecretName says %v, lib.secret_name %v", n, g, rego[n])
		}
		if rego[n] {
			secrets++
		}
	}
	if secrets == 0 || secrets == len(names) {
		t.Errorf("%d of %d names are secret: the list no longer tells the two apart", secrets, len(names))
	}
}
