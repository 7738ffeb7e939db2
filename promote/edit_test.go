package promote

import (
	"testing"
)

func TestSetPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		path    []string
		value   string
		want    string
		wantErr bool
	}{
		{
			name:  "replaces a quoted scalar, keeps its quotes and comment",
			in:    "cluster:\n  kubernetesVersion: \"1.34\"  # newest\n  os: AL2023\n",
			path:  []string{"cluster", "kubernetesVersion"},
			value: "1.35",
			want:  "cluster:\n  kubernetesVersion: \"1.35\"  # newest\n  os: AL2023\n",
		},
		{
			name:  "replaces a plain scalar",
			in:    "# head\nsource:\n  tag: v4.2.0 # pinned\n",
			path:  []string{"source", "tag"},
			value: "v4.3.0",
			want:  "# head\nsource:\n  tag: v4.3.0 # pinned\n",
		},
		{
			name:  "adds a key to an empty flow mapping",
			in:    "components:\n  karpenter: {}   # autoscaling\n  efs: {}\n",
			path:  []string{"components", "karpenter", "version"},
			value: "1.10.0",
			want:  "components:\n  karpenter: {version: 1.10.0}   # autoscaling\n  efs: {}\n",
		},
		{
			name:  "adds a key to a flow mapping with entries",
			in:    "components:\n  velero: {vars: {a: 1}}\n",
			path:  []string{"components", "velero", "version"},
			value: "8.2.0",
			want:  "components:\n  velero: {vars: {a: 1}, version: 8.2.0}\n",
		},
		{
			name:  "adds a nested key under a block mapping, at its indentation",
			in:    "components:\n    efs: {}\n# trailing\n",
			path:  []string{"components", "karpenter", "version"},
			value: "1.10.0",
			want:  "components:\n    efs: {}\n    karpenter:\n      version: 1.10.0\n# trailing\n",
		},
		{
			name:  "quotes a version that would read as a number",
			in:    "cluster:\n  os: AL2023\n",
			path:  []string{"cluster", "kubernetesVersion"},
			value: "1.30",
			want:  "cluster:\n  os: AL2023\n  kubernetesVersion: \"1.30\"\n",
		},
		{
			name:    "an empty value cannot take keys",
			in:      "components:\n  karpenter:\n",
			path:    []string{"components", "karpenter", "version"},
			value:   "1.0.0",
			wantErr: true,
		},
		{
			name:    "a block scalar is not edited",
			in:      "source:\n  tag: |\n    v4.2.0\n",
			path:    []string{"source", "tag"},
			value:   "v4.3.0",
			wantErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := setPath([]byte(tc.in), tc.path, tc.value)
			wantEdit(t, got, err, tc.wantErr, tc.want)
		})
	}
}

func TestAddEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "block", in: "components:\n  efs: {}\n", want: "components:\n  efs: {}\n  velero: {}\n"},
		{name: "flow", in: "components: {efs: {}}\n", want: "components: {efs: {}, velero: {}}\n"},
		{name: "no components yet", in: "name: prod\n", want: "name: prod\ncomponents:\n  velero: {}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := addEmpty([]byte(tc.in), "velero")
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestCompareTags(t *testing.T) {
	t.Parallel()
	// semver.org item 11's example, in ascending order
	order := []string{"v1.0.0-alpha", "v1.0.0-alpha.1", "v1.0.0-alpha.beta", "v1.0.0-beta", "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1", "v1.0.0", "v1.2.0", "v1.10.0", "v2.0.0"}
	for i := range order {
		for j := range order {
			want := cmpInt(i, j)
			if got := compareTags(order[i], order[j]); got != want {
				t.Errorf("compareTags(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
}

// wantEdit checks the result of a line edit: an error when wantErr, else
// exactly want.
func wantEdit(t *testing.T, got []byte, err error, wantErr bool, want string) {
	t.Helper()
	if wantErr {
		if err == nil {
			t.Fatalf("want an error, got %q", got)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
