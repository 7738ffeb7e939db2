package check

import (
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

func TestOnePerCause(t *testing.T) {
	t.Parallel()
	gen := func(file string) *finding.Location { return &finding.Location{File: file, Line: 5, Column: 3} }
	spec := func(rule, name, msg string, line int, g string) finding.Finding {
		return finding.Finding{Rule: rule, Severity: finding.Deny, File: "environments/uat.yaml", Line: line, Column: 5,
			Name: name, SpecField: "targets[0].accountId", Message: msg, Generated: gen(g)}
	}
	account := func(name, g string) finding.Finding {
		return spec("account-by-tier", name, `targets[0].accountId: Terraform "`+name+`" (uat) deploys to AWS account 1, which also serves dev`, 8, g)
	}
	handWritten := finding.Finding{Rule: "account-by-tier", Severity: finding.Deny, File: "manual/a.yaml", Line: 3, Name: "a", Message: `Terraform "a" (uat) deploys to AWS account 1, which also serves dev`}
	tests := []struct {
		name      string
		in        []finding.Finding
		wantFiles [][]string // per finding out: its generated file, then the others
	}{
		{name: "one account id on ten objects is one finding",
			in: func() []finding.Finding {
				var fs []finding.Finding
				for _, c := range []string{"eks", "efs", "karpenter", "velero", "istio", "adot", "argocd", "external-dns", "cert-manager", "metrics-server"} {
					fs = append(fs, account("uat-"+c, "clusters/uat/t/"+c+".yaml"))
				}
				return fs
			}(),
			wantFiles: [][]string{{"clusters/uat/t/eks.yaml", "clusters/uat/t/efs.yaml", "clusters/uat/t/karpenter.yaml", "clusters/uat/t/velero.yaml", "clusters/uat/t/istio.yaml", "clusters/uat/t/adot.yaml", "clusters/uat/t/argocd.yaml", "clusters/uat/t/external-dns.yaml", "clusters/uat/t/cert-manager.yaml", "clusters/uat/t/metrics-server.yaml"}}},
		{name: "hand-written findings are kept apart",
			in:        []finding.Finding{handWritten, handWritten, account("uat-eks", "clusters/uat/t/eks.yaml")},
			wantFiles: [][]string{nil, nil, {"clusters/uat/t/eks.yaml"}}},
		{name: "another spec line is another cause",
			in:        []finding.Finding{account("uat-eks", "g1"), spec("account-by-tier", "uat-efs", `targets[0].accountId: Terraform "uat-efs" (uat) deploys to AWS account 1, which also serves dev`, 9, "g2")},
			wantFiles: [][]string{{"g1"}, {"g2"}}},
		{name: "another message is another cause",
			in:        []finding.Finding{account("uat-eks", "g1"), spec("account-by-tier", "uat-efs", `targets[0].accountId: Terraform "uat-efs" (uat) deploys to AWS account 2, which also serves prod`, 8, "g2")},
			wantFiles: [][]string{{"g1"}, {"g2"}}},
		{name: "a waived and an unwaived finding stay apart",
			in: func() []finding.Finding {
				w := account("uat-efs", "g2")
				w.Waiver = &finding.Waiver{Reason: "moving", Expires: "2026-12-31"}
				return []finding.Finding{account("uat-eks", "g1"), w}
			}(),
			wantFiles: [][]string{{"g1"}, {"g2"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := onePerCause(append([]finding.Finding(nil), tc.in...))
			if len(got) != len(tc.wantFiles) {
				t.Fatalf("got %d findings, want %d: %+v", len(got), len(tc.wantFiles), got)
			}
			for i, want := range tc.wantFiles {
				var files []string
				if g := got[i].Generated; g != nil {
					files = append(files, g.File)
				}
				for _, a := range got[i].AlsoGenerated {
					files = append(files, a.File)
				}
				if len(files) != len(want) {
					t.Fatalf("finding %d: generated %q, want %q", i, files, want)
				}
				for j := range want {
					if files[j] != want[j] {
						t.Errorf("finding %d: generated %q, want %q", i, files, want)
						break
					}
				}
			}
		})
	}
}
