package generator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/templates"
)

// checker validates a decoded spec and points each problem at its line.
type checker struct {
	file     string           // the environment's own file
	defaults string           // the specs folder's defaults.yaml
	tree     *yamlx.Node      // merged tree
	root     *yamlx.Node      // the environment file's own tree
	stack    *templates.Stack // nil when the catalogue could not be read
	set      *templates.Set   // the templates, for messages naming other stacks
	envName  string
	errs     yamlx.ErrorList
	versions *templates.EKSVersions // the EKS release calendar
	regions  *templates.Regions     // the AWS regions
}

// pos finds where path is written. A missing field is reported at its
// nearest parent, or at the top of the environment file when that parent
// came from another file (tier defaults or defaults.yaml).
func (c *checker) pos(path string) yamlx.Pos {
	p, found := c.tree.KeyPos(path)
	switch {
	case !found && p.File != c.file:
		return c.root.Pos
	case p.File != c.file && p.File != c.defaults:
		return c.root.Pos // came from the embedded tier defaults
	}
	return p
}

func (c *checker) add(path, format string, args ...any) {
	c.errs = append(c.errs, &yamlx.Error{Pos: c.pos(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) wrap(path string, err error) *yamlx.Error {
	return &yamlx.Error{Pos: c.pos(path), Path: path, Msg: err.Error()}
}

var (
	semverRE   = lazyRE(`^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	branchRE   = lazyRE(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)
	tfVarRE    = lazyRE(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	ruleRE     = lazyRE(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	instanceRE = lazyRE(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
)

// maxObjectName is the longest Kubernetes object name fluxtf generates
// (a DNS-1123 label).
const maxObjectName = 63

func (c *checker) environment(e *Environment, fileName string) {
	if e.APIVersion != SpecAPIVersion {
		c.add("apiVersion", "must be %s, got %q", SpecAPIVersion, e.APIVersion)
	}
	if e.Kind != EnvironmentKind {
		c.add("kind", "must be %s, got %q", EnvironmentKind, e.Kind)
	}
	switch {
	case e.Name == "":
		c.add("name", "is required; set it to %q to match the file name", fileName)
	case CheckEnvName(e.Name) != nil:
		c.add("name", "%q is not a valid environment name: use lower-case letters, digits and '-' (a DNS-1123 label) and the file's name, %q", e.Name, fileName)
	case e.Name != fileName:
		c.add("name", "is %q but the file is %s.yaml; rename one so they match", e.Name, fileName)
	}
	if e.Tier == "" {
		c.add("tier", "is required when the name is not dev, uat or prod; set tier: dev, uat or prod")
	} else if !e.Tier.Valid() {
		c.add("tier", "must be dev, uat or prod, got %q", e.Tier)
	}
	if e.Namespace != "" && !dnsLabel.MatchString(e.Namespace) {
		c.add("namespace", "%q is not a DNS-1123 label", e.Namespace)
	}
	c.source(&e.Source)
	c.release(e)
	c.targets(e)
	if c.stack == nil || c.stack.TakesField("cluster") {
		c.cluster(&e.Cluster)
		c.imageRegions(e)
	}
	c.terraform(&e.Terraform)
	c.waivers(e)
}

func (c *checker) source(s *Source) {
	if s.URL == "" {
		c.add("source.url", "is required: the git URL of the module stack, such as ssh://git@github.com/digx/infrastructure.git")
	} else if !urlRE.MatchString(s.URL) {
		c.add("source.url", "%q must start with ssh://, https:// or http://", s.URL)
	}
	switch {
	case s.Tag == "" && s.Branch == "":
		c.add("source", "needs a tag (a semver release such as v4.2.0) or, in dev, branch: alpha")
	case s.Tag != "" && s.Branch != "":
		c.add("source.branch", "set either tag or branch, not both")
	case s.Tag != "" && !semverRE.MatchString(s.Tag):
		c.add("source.tag", "%q is not a semver tag such as v4.2.0", s.Tag)
	case s.Branch != "" && !branchRE.MatchString(s.Branch):
		c.add("source.branch", "%q is not a valid branch name", s.Branch)
	}
	if s.SecretRef != "" && !dnsSubdomain(s.SecretRef) {
		c.add("source.secretRef", "%q is not a valid Secret name", s.SecretRef)
	}
}

func dnsSubdomain(s string) bool {
	return len(s) <= 253 && dnsSubdomainRE.MatchString(s)
}

func (c *checker) targets(e *Environment) {
	if len(e.Targets) == 0 {
		c.add("targets", "needs at least one target (account, accountId, region)")
	}
	seen := map[string]int{}
	for i := range e.Targets {
		t := &e.Targets[i]
		p := fmt.Sprintf("targets[%d]", i)
		if c.stack != nil && !c.stack.Deploys(templates.TargetAWS) {
			if t.Name != "" && !dnsLabel.MatchString(t.Name) {
				c.add(p+".name", "%q is not a DNS-1123 label", t.Name)
			}
			if j, dup := seen[t.ID()]; dup {
				c.add(p, "duplicates targets[%d] (%s); give one a distinct name", j, t.ID())
			}
			seen[t.ID()] = i
			continue // targetKinds checks the azure block
		}
		if t.Account == "" {
			c.add(p+".account", "is required: the AWS account alias, such as digx-%s", e.Tier)
		} else if !dnsLabel.MatchString(t.Account) {
			c.add(p+".account", "%q must be lower-case letters, digits and '-'", t.Account)
		}
		if !accountIDRE.MatchString(t.AccountID) {
			c.add(p+".accountId", "must be the 12-digit AWS account id in quotes, got %q", t.AccountID)
		}
		switch {
		case t.Region == "":
			c.add(p+".region", "is required: the AWS region, such as eu-west-1")
		case !regionRE.MatchString(t.Region) || c.regions != nil && !c.regions.Has(t.Region):
			c.add(p+".region", "%q is not an AWS region%s", t.Region, closestOr(t.Region, c.regionNames(), "; see templates/"+templates.RegionsFile+" for the list"))
		}
		if t.Name != "" && !dnsLabel.MatchString(t.Name) {
			c.add(p+".name", "%q is not a DNS-1123 label", t.Name)
		}
		name := t.ID()
		if j, dup := seen[name]; dup {
			c.add(p, "duplicates targets[%d] (%s); give one a distinct name", j, name)
		}
		seen[name] = i
		if t.ClusterName != "" && !clusterRE.MatchString(t.ClusterName) {
			c.add(p+".clusterName", "%q is not a valid EKS cluster name", t.ClusterName)
		}
	}
}

// regionNames lists the known AWS regions.
func (c *checker) regionNames() []string {
	if c.regions == nil {
		return nil
	}
	return c.regions.Names()
}

// versionNames lists the EKS versions of the release calendar, quoted.
func (c *checker) versionNames() string {
	if c.versions == nil {
		return `"1.29"`
	}
	names := c.versions.Names()
	for i, n := range names {
		names[i] = strconv.Quote(n)
	}
	return strings.Join(names, ", ")
}

func (c *checker) cluster(cl *Cluster) {
	if cl.KubernetesVersion == "" {
		c.add("cluster.kubernetesVersion", "is required, quoted, such as \"1.29\"")
	} else if !k8sRE.MatchString(cl.KubernetesVersion) || c.versions != nil && c.versions.Find(cl.KubernetesVersion) == nil {
		c.add("cluster.kubernetesVersion", "%q is not a Kubernetes version of EKS; use one of %s (templates/%s)", cl.KubernetesVersion, c.versionNames(), templates.EKSVersionsFile)
	}
	if !cl.OS.Valid() {
		c.add("cluster.os", "must be one of AL2, AL2023, BOTTLEROCKET, DEFAULT, CUSTOM, got %q", cl.OS)
	}
	switch {
	case cl.OS == OSCustom && cl.CustomImage == nil:
		c.add("cluster.customImage", "is required when os is CUSTOM: set amiId or pipelineArn of the EC2 Image Builder output (per region under regions when the targets are in several)")
	case cl.OS == OSCustom:
		c.customImage(cl.CustomImage)
	case cl.CustomImage != nil:
		c.add("cluster.customImage", "is only used when os is CUSTOM; remove it or set os: CUSTOM")
	}
	if len(cl.NodeGroups) == 0 {
		c.add("cluster.nodeGroups", "needs at least one managed node group")
	}
	seen := map[string]bool{}
	for i, ng := range cl.NodeGroups {
		p := fmt.Sprintf("cluster.nodeGroups[%d]", i)
		if !dnsLabel.MatchString(ng.Name) {
			c.add(p+".name", "is required, a DNS-1123 label such as system")
		} else if seen[ng.Name] {
			c.add(p+".name", "%q is used twice", ng.Name)
		}
		seen[ng.Name] = true
		if len(ng.InstanceTypes) == 0 {
			c.add(p+".instanceTypes", "needs at least one instance type such as m6i.large")
		}
		for j, it := range ng.InstanceTypes {
			if !instanceRE.MatchString(it) {
				c.add(fmt.Sprintf("%s.instanceTypes[%d]", p, j), "%q is not an EC2 instance type such as m6i.large", it)
			} else if arm64(it) != arm64(ng.InstanceTypes[0]) {
				c.add(fmt.Sprintf("%s.instanceTypes[%d]", p, j), "%s and %s differ in CPU architecture (arm64 and x86_64); split the node group in two", ng.InstanceTypes[0], it)
			}
		}
		if ng.MinSize < 0 {
			c.add(p+".minSize", "must not be negative")
		}
		if ng.MaxSize < 1 {
			c.add(p+".maxSize", "must be at least 1")
		} else if ng.MinSize > ng.MaxSize {
			c.add(p+".minSize", "%d is above maxSize %d", ng.MinSize, ng.MaxSize)
		}
		if ng.DesiredSize != nil && (*ng.DesiredSize < ng.MinSize || *ng.DesiredSize > ng.MaxSize) {
			c.add(p+".desiredSize", "%d must lie between minSize %d and maxSize %d", *ng.DesiredSize, ng.MinSize, ng.MaxSize)
		}
		if ng.CapacityType != "" && ng.CapacityType != OnDemand && ng.CapacityType != Spot {
			c.add(p+".capacityType", "must be ON_DEMAND or SPOT, got %q", ng.CapacityType)
		}
		if ng.DiskSize != 0 && ng.DiskSize < 20 {
			c.add(p+".diskSize", "must be at least 20 GiB")
		}
	}
	c.varNames("cluster.vars", cl.Vars, baseVarNames)
	c.secrets("cluster", cl.Vars, cl.Secrets, baseVarNames)
}

// secrets checks a module's secret variables (<at>.secrets) and refuses a
// secret-looking variable set inline in <at>.vars: it would be committed
// to Git and copied into plans; the spec names the Secret key instead.
func (c *checker) secrets(at string, vars map[string]any, secrets map[string]SecretKeyRef, reserved map[string]string) {
	for _, k := range sortedKeys(vars) {
		if contract.SecretName(k) && inlineValue(vars[k]) {
			c.add(at+".vars["+k+"]", "%s looks like a secret, which must not live in Git: store it in a Secret, name its key under %s.secrets.%s: {name: <Secret>, key: <key>} and remove the value", k, specField(at), k)
		}
	}
	for _, k := range sortedKeys(secrets) {
		p := at + ".secrets[" + k + "]"
		ref := secrets[k]
		switch {
		case !tfVarRE.MatchString(k):
			c.add(p, "%q is not a Terraform variable name", k)
		case reserved[k] != "":
			c.add(p, "%s is set by fluxtf from %s; set that instead", k, reserved[k])
		}
		if _, ok := vars[k]; ok {
			c.add(p, "%s is also set in %s.vars; keep one", k, specField(at))
		}
		if !dnsSubdomain(ref.Name) {
			c.add(p+".name", "must name a Secret in the objects' namespace (a DNS-1123 subdomain), got %q", ref.Name)
		}
		if !secretKeyRE.MatchString(ref.Key) {
			c.add(p+".key", "must be a key of the Secret's data (letters, digits, '-', '_' and '.'), got %q", ref.Key)
		}
	}
}

// specField writes a field path as a user types it in YAML:
// components[argocd] -> components.argocd.
func specField(path string) string {
	return strings.ReplaceAll(strings.ReplaceAll(path, "[", "."), "]", "")
}

// inlineValue reports whether v could hold a secret: a string that is not
// blank, or a non-empty mapping or list (no-inline-secrets' inline).
func inlineValue(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x) != ""
	case map[string]any:
		return len(x) > 0
	case []any:
		return len(x) > 0
	}
	return false
}

// varNames checks extra Terraform variable names and that none shadows one
// fluxtf sets itself.
func (c *checker) varNames(path string, vars map[string]any, reserved map[string]string) {
	for _, k := range sortedKeys(vars) {
		if !tfVarRE.MatchString(k) {
			c.add(path+"["+k+"]", "%q is not a Terraform variable name", k)
		}
		if from, ok := reserved[k]; ok {
			c.add(path+"["+k+"]", "%s is set by fluxtf from %s; set that instead", k, from)
		}
	}
}

func (c *checker) terraform(t *TerraformSettings) {
	if t.ApprovePlan != "" && t.ApprovePlan != ApproveAuto && t.ApprovePlan != ApproveManual {
		c.add("terraform.approvePlan", "must be auto or manual, got %q", t.ApprovePlan)
	}
	if t.ServiceAccountName != "" && !dnsSubdomain(t.ServiceAccountName) {
		c.add("terraform.serviceAccountName", "%q is not a valid ServiceAccount name", t.ServiceAccountName)
	}
	if t.AssumeRole != "" && !roleRE.MatchString(t.AssumeRole) {
		c.add("terraform.assumeRole", "%q is not an IAM role name", t.AssumeRole)
	}
}

func (c *checker) waivers(e *Environment) {
	targets := map[string]bool{}
	for _, t := range e.Targets {
		targets[t.ID()] = true
	}
	for i, w := range e.Waivers {
		p := fmt.Sprintf("waivers[%d]", i)
		if !ruleRE.MatchString(w.Rule) {
			c.add(p+".rule", "is required: the id of the policy rule to waive, such as prod-os-bottlerocket")
		}
		if _, err := time.Parse(time.DateOnly, w.Expires); err != nil {
			c.add(p+".expires", "must be a date YYYY-MM-DD, got %q", w.Expires)
		}
		if w.Target != "" && !targets[w.Target] {
			c.add(p+".target", "no target is named %q", w.Target)
		}
	}
}

// components checks the enabled components against the stack catalogue.
func (c *checker) components(e *Environment, st *templates.Stack) {
	for _, name := range sortedKeys(e.Components) {
		comp := e.Components[name]
		p := "components[" + name + "]"
		m := st.Component(name)
		if m == nil {
			c.unknownComponent(p, name, st)
			continue
		}
		if !comp.On() {
			continue
		}
		for _, d := range m.DependsOn {
			if dc, ok := e.Components[d]; !ok || !dc.On() {
				c.add(p, "%s needs %s; enable it too (components: {%s: {}})", name, d, d)
			}
		}
		for _, x := range m.Conflicts {
			if xc, ok := e.Components[x]; ok && xc.On() {
				c.add(p, "%s and %s must not both be enabled", name, x)
			}
		}
		if comp.Version != "" && m.VersionVar == "" {
			c.add(p+".version", "%s takes no version; remove it", name)
		}
		reserved := map[string]string{}
		for k, v := range commonVarNames {
			reserved[k] = v
		}
		if st.Deploys(templates.TargetAzure) {
			for k, v := range azureVarNames {
				reserved[k] = v
			}
		}
		if m.VersionVar != "" {
			reserved[m.VersionVar] = p + ".version"
		}
		for _, r := range m.Reads {
			reserved[r] = "the base stack's outputs"
		}
		c.varNames(p+".vars", comp.Vars, reserved)
		c.secrets(p, comp.Vars, comp.Secrets, reserved)
	}
	for i, w := range e.Waivers {
		if w.Component == "" || w.Component == "base" || w.Component == st.Base.Name {
			continue
		}
		if _, ok := e.Components[w.Component]; !ok {
			c.add(fmt.Sprintf("waivers[%d].component", i), "component %q is not enabled", w.Component)
		}
	}
	for _, t := range e.Targets {
		for _, m := range append([]string{st.Base.Name}, sortedKeys(e.Components)...) {
			if n := objectName(e.Name, t.ID(), m); len(n) > maxObjectName {
				c.add("targets", "object name %q is %d characters, over %d; give the target a shorter name (targets[].name)", n, len(n), maxObjectName)
				return
			}
		}
	}
}

func closest(name string, known []string) string {
	return closestOr(name, known, "; see `fluxtf components` for the catalogue")
}

// closestOr suggests the known name closest to name, or says otherwise.
func closestOr(name string, known []string, otherwise string) string {
	best, bestDist := "", 4
	for _, k := range known {
		if d := editDistance(name, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return otherwise
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
