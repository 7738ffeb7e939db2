package fleet

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/digx/fluxtf/templates"
)

// DefaultsYAML is the fleet's defaults.yaml.
const DefaultsYAML = `# Shared settings of the synthetic fleet (fleetgen).
source:
  url: ssh://git@github.com/digx/infrastructure.git
  secretRef: flux-git-auth
cluster:
  nodeGroups:
    - name: system
      instanceTypes: [m6i.large]
      minSize: 2
      maxSize: 5
components:
  metrics-server: {}
terraform:
  backend:
    s3:
      bucket: digx-terraform-state
      region: eu-west-1
`

// Spec is one environment file.
type Spec struct {
	Name string
	Data []byte
}

// Specs returns n environment specs (without defaults.yaml).
func Specs(n int, seed uint64) ([]Spec, error) {
	stack, err := templates.Embedded().Stack("jeppesen-eks")
	if err != nil {
		return nil, err
	}
	g := &gen{rnd: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), stack: stack, width: len(fmt.Sprint(max(n-1, 0)))}
	out := make([]Spec, n)
	for i := range n {
		out[i].Name, out[i].Data = g.env(i)
	}
	return out, nil
}

// Write writes n environment specs and defaults.yaml into dir (created).
func Write(dir string, n int, seed uint64) error {
	specs, err := Specs(n, seed)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "defaults.yaml"), []byte(DefaultsYAML), 0o644); err != nil {
		return err
	}
	for _, s := range specs {
		if err := os.WriteFile(filepath.Join(dir, s.Name+".yaml"), s.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

type tierShape struct {
	tier, prefix string
	accounts     []account
	targets      [2]int // min, max
	tags         []string
	branch       float64 // share of environments on branch alpha
	k8s          []string
	oses         []string
}

type account struct {
	alias, id string
	regions   []string
}

// Versions fall with the tier, so that prod never runs what uat does not
// and uat never what dev does not (promotion-order); every tier has its
// own accounts (account-by-tier).
var tiers = []tierShape{
	{
		tier: "dev", prefix: "d",
		accounts: []account{{"digx-dev", "210987654321", []string{"eu-west-1", "us-east-1"}}},
		targets:  [2]int{1, 1},
		tags:     []string{"v4.3.0", "v4.2.0"},
		branch:   0.5,
		k8s:      []string{"1.35", "1.34"},
		oses:     []string{"AL2023", "AL2023", "BOTTLEROCKET", "BOTTLEROCKET", "CUSTOM"},
	},
	{
		tier: "uat", prefix: "u",
		accounts: []account{{"digx-uat", "111111111111", []string{"eu-west-1", "eu-central-1"}}},
		targets:  [2]int{1, 2},
		tags:     []string{"v4.2.0", "v4.1.3"},
		k8s:      []string{"1.34", "1.33"},
		oses:     []string{"BOTTLEROCKET", "BOTTLEROCKET", "AL2023"},
	},
	{
		tier: "prod", prefix: "p",
		accounts: []account{
			{"digx-prod-eu", "333333333333", []string{"eu-west-1", "eu-central-1"}},
			{"digx-prod-us", "444444444444", []string{"us-east-1", "us-west-2"}},
		},
		targets: [2]int{2, 3},
		tags:    []string{"v4.1.3", "v4.1.0"},
		k8s:     []string{"1.33"},
		oses:    []string{"BOTTLEROCKET"},
	},
}

// pool is what environments draw their components from (metrics-server
// comes from defaults.yaml); dependencies are added, conflicts avoided.
var pool = []string{
	"efs", "karpenter", "istio", "adot", "argocd", "velero", "external-dns",
	"cert-manager", "external-secrets", "kube-prometheus-stack", "aws-for-fluentbit",
	"cluster-autoscaler", "kyverno", "ingress-nginx",
}

type gen struct {
	rnd   *rand.Rand
	stack *templates.Stack
	width int
}

func (g *gen) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

// env writes environment i: 40% dev, 30% uat, 30% prod.
func (g *gen) env(i int) (string, []byte) {
	var ts tierShape
	switch r := g.rnd.IntN(10); {
	case r < 4:
		ts = tiers[0]
	case r < 7:
		ts = tiers[1]
	default:
		ts = tiers[2]
	}
	name := fmt.Sprintf("%s%0*d", ts.prefix, g.width, i)
	comps := g.components()
	var b bytes.Buffer
	fmt.Fprintf(&b, "# synthetic environment %d (fleetgen)\napiVersion: fluxtf/v1alpha1\nkind: Environment\nname: %s\ntier: %s\n", i, name, ts.tier)
	b.WriteString("source:\n")
	if g.rnd.Float64() < ts.branch {
		b.WriteString("  branch: alpha\n")
	} else {
		fmt.Fprintf(&b, "  tag: %s\n", g.pick(ts.tags))
	}
	b.WriteString("targets:\n")
	nt := ts.targets[0] + g.rnd.IntN(ts.targets[1]-ts.targets[0]+1)
	used := map[string]bool{}
	var regions []string // the targets' regions, each once
	for len(used) < nt {
		a := ts.accounts[g.rnd.IntN(len(ts.accounts))]
		region := g.pick(a.regions)
		if used[a.alias+region] {
			continue
		}
		used[a.alias+region] = true
		if !slices.Contains(regions, region) {
			regions = append(regions, region)
		}
		fmt.Fprintf(&b, "  - account: %s\n    accountId: %q\n    region: %s\n", a.alias, a.id, region)
		// object names are <env>-<target>-<component>, at most 63 characters
		if len(name)+len(a.alias)+len(region)+len("aws-load-balancer-controller")+3 > 63 {
			fmt.Fprintf(&b, "    name: %s\n", region)
		}
	}
	osName := g.pick(ts.oses)
	fmt.Fprintf(&b, "cluster:\n  kubernetesVersion: %q\n  os: %s\n", g.pick(ts.k8s), osName)
	if osName == "CUSTOM" { // an AMI is regional: one per target region
		b.WriteString("  customImage:\n    regions:\n")
		for _, r := range regions {
			fmt.Fprintf(&b, "      %s:\n        amiId: ami-%017x\n", r, g.rnd.Uint64()&0xfffffffffffffff)
		}
	}
	if g.rnd.IntN(3) == 0 || slices.Contains(comps, "efs") {
		// EFS needs at least two nodes at minimum size (efs-min-nodes)
		low := 2 + g.rnd.IntN(2)
		b.WriteString("  nodeGroups:\n")
		fmt.Fprintf(&b, "    - {name: system, instanceTypes: [%s], minSize: %d, maxSize: %d}\n", g.pick([]string{"m6i.large", "m6i.xlarge", "m5.large"}), low, low+4)
		if g.rnd.IntN(2) == 0 {
			fmt.Fprintf(&b, "    - {name: workers, instanceTypes: [%s], minSize: 0, maxSize: 20, capacityType: SPOT}\n", g.pick([]string{"c6i.2xlarge", "m6i.2xlarge"}))
		}
	}
	b.WriteString("components:\n")
	for _, c := range comps {
		switch {
		case c == "karpenter":
			v := g.pick([]string{"1.9.0", "1.8.0"})
			switch ts.tier { // the release order: dev newest, prod what uat ran (release-order)
			case "dev":
				v = "1.9.0"
			case "prod":
				v = "1.8.0"
			}
			fmt.Fprintf(&b, "  karpenter:\n    version: %q\n", v)
		case c == "velero" && g.rnd.IntN(2) == 0:
			b.WriteString("  velero:\n    vars:\n      backup_schedule: \"0 */6 * * *\"\n")
		default:
			fmt.Fprintf(&b, "  %s: {}\n", c)
		}
	}
	if ts.tier == "prod" {
		b.WriteString("terraform:\n  approvePlan: manual\n")
	}
	return name, b.Bytes()
}

// components draws 2–6 components with their dependencies and without
// conflicts, sorted.
func (g *gen) components() []string {
	want := 2 + g.rnd.IntN(5)
	on := map[string]bool{}
	var add func(string) bool
	add = func(c string) bool {
		m := g.stack.Component(c)
		if m == nil || on[c] {
			return m != nil
		}
		for _, x := range m.Conflicts {
			if on[x] {
				return false
			}
		}
		on[c] = true
		for _, d := range m.DependsOn {
			if !add(d) {
				delete(on, c)
				return false
			}
		}
		return true
	}
	for tries := 0; len(on) < want && tries < 50; tries++ {
		before := maps.Clone(on)
		if !add(g.pick(pool)) || len(on) > 6 {
			on = before
		}
	}
	return slices.Sorted(maps.Keys(on))
}
