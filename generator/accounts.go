package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/digx/fluxtf/internal/yamlx"
)

// accountPatternRE matches an account alias, or a prefix of aliases ending
// in *.
var accountPatternRE = lazyRE(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(-?\*)?$`)

// AccountTiers is the account -> tier mapping of a specs folder: the tier
// defaults' `accounts` (digx-dev, digx-uat, digx-prod*) merged with the
// `accounts` of the folder's defaults.yaml, by tier. The policy
// account-by-tier checks each Terraform's account against it.
func AccountTiers(opts LoadOptions) (map[string][]string, error) {
	if st, err := os.Stat(opts.SpecsDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("specs folder %s does not exist or is not a folder", opts.SpecsDir)
	}
	tierDefaults, err := opts.templates().TierDefaults(string(TierDev))
	if err != nil {
		return nil, fmt.Errorf("tier defaults: %w", err)
	}
	defaults, err := readDefaults(filepath.Join(opts.SpecsDir, DefaultsFile))
	if err != nil {
		return nil, err
	}
	merged := yamlx.Merge(tierDefaults, defaults).Get("accounts")
	if merged == nil {
		return nil, nil
	}
	var out map[string][]string
	if err := yamlx.Decode(merged, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// accounts checks the accounts mapping: tiers as keys, aliases or
// prefixes as values, set in defaults.yaml only.
func (c *checker) accounts(e *Environment) {
	if p, _ := c.root.KeyPos("accounts"); c.root.Get("accounts") != nil {
		c.errs = append(c.errs, &yamlx.Error{Pos: p, Path: "accounts", Msg: "belongs in " + DefaultsFile + ", where it holds for every environment"})
	}
	for _, t := range sortedKeys(e.Accounts) {
		p := "accounts[" + t + "]"
		if !Tier(t).Valid() {
			c.add(p, "%q is not a tier; use dev, uat or prod", t)
			continue
		}
		if len(e.Accounts[t]) == 0 {
			c.add(p, "lists no account; name the tier's account aliases, such as digx-%s", t)
		}
		for i, a := range e.Accounts[t] {
			if !accountPatternRE.MatchString(a) {
				c.add(fmt.Sprintf("%s[%d]", p, i), "%q is not an account alias (lower-case letters, digits and '-'), or a prefix of aliases ending in * such as digx-prod*", a)
			}
		}
	}
}

// accountFits reports whether alias matches one of patterns.
func accountFits(alias string, patterns []string) bool {
	for _, p := range patterns {
		if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(alias, prefix) || p == alias {
			return true
		}
	}
	return false
}

// targetAccounts checks each target's account against its tier's
// accounts, as account-by-tier does on the rendered objects, so the
// mistake is reported at the spec line.
func (c *checker) targetAccounts(e *Environment) {
	patterns, ok := e.Accounts[string(e.Tier)]
	if !ok || !e.Tier.Valid() {
		return
	}
	for i, t := range e.Targets {
		if t.Account != "" && dnsLabel.MatchString(t.Account) && !accountFits(t.Account, patterns) {
			c.add(fmt.Sprintf("targets[%d].account", i), "%s is not a %s account; %s deploys to %s (accounts.%s in %s)", t.Account, e.Tier, e.Tier, strings.Join(patterns, ", "), e.Tier, DefaultsFile)
		}
	}
}
