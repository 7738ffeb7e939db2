package sourcecheck_test

import (
	"slices"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/digx/fluxtf/internal/sourcecheck"
)

func validGitRepository() *sourcev1.GitRepository {
	return &sourcev1.GitRepository{
		TypeMeta:   metav1.TypeMeta{APIVersion: sourcev1.GroupVersion.String(), Kind: sourcev1.GitRepositoryKind},
		ObjectMeta: metav1.ObjectMeta{Name: "podinfo", Namespace: "flux-system"},
		Spec: sourcev1.GitRepositorySpec{
			URL:      "https://github.com/stefanprodan/podinfo",
			Interval: metav1.Duration{Duration: 5 * time.Minute},
		},
	}
}

func fieldsOf(errs field.ErrorList) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = string(e.Type) + " " + e.Field
	}
	slices.Sort(out)
	return out
}

func TestValidateGitRepository(t *testing.T) {
	t.Parallel()
	dur := func(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }
	tests := []struct {
		name   string
		mutate func(g *sourcev1.GitRepository)
		want   []string // sorted "<error type> <field path>"
	}{
		{name: "minimal", mutate: func(*sourcev1.GitRepository) {}},
		{name: "every field set", mutate: func(g *sourcev1.GitRepository) {
			ignore := "/*\n!/charts/"
			g.Spec = sourcev1.GitRepositorySpec{
				URL:                "ssh://git@github.com/org/repo",
				SecretRef:          &meta.LocalObjectReference{Name: "ssh"},
				Provider:           sourcev1.GitProviderAzure,
				ServiceAccountName: "sa",
				Interval:           metav1.Duration{Duration: 90 * time.Minute},
				Timeout:            dur(90 * time.Second),
				Reference:          &sourcev1.GitRepositoryRef{Branch: "main"},
				Verification:       &sourcev1.GitRepositoryVerification{Mode: sourcev1.ModeGitTagAndHEAD, SecretRef: meta.LocalObjectReference{Name: "pgp"}},
				ProxySecretRef:     &meta.LocalObjectReference{Name: "proxy"},
				Ignore:             &ignore,
				Suspend:            true,
				RecurseSubmodules:  true,
				Include:            []sourcev1.GitRepositoryInclude{{GitRepositoryRef: meta.LocalObjectReference{Name: "other"}, FromPath: "a", ToPath: "b"}},
				SparseCheckout:     []string{"charts"},
			}
		}},
		{name: "missing type meta and name", mutate: func(g *sourcev1.GitRepository) {
			g.TypeMeta, g.Name = metav1.TypeMeta{}, ""
		}, want: []string{"FieldValueRequired apiVersion", "FieldValueRequired kind", "FieldValueRequired metadata.name"}},
		{name: "v1beta2 apiVersion", mutate: func(g *sourcev1.GitRepository) { g.APIVersion = "source.toolkit.fluxcd.io/v1beta2" },
			want: []string{"FieldValueNotSupported apiVersion"}},
		{name: "missing url and interval", mutate: func(g *sourcev1.GitRepository) {
			g.Spec.URL, g.Spec.Interval = "", metav1.Duration{}
		}, want: []string{"FieldValueRequired spec.interval", "FieldValueRequired spec.url"}},
		{name: "url scheme", mutate: func(g *sourcev1.GitRepository) { g.Spec.URL = "git@github.com:org/repo.git" },
			want: []string{"FieldValueInvalid spec.url"}},
		{name: "negative interval", mutate: func(g *sourcev1.GitRepository) { g.Spec.Interval = metav1.Duration{Duration: -time.Second} },
			want: []string{"FieldValueInvalid spec.interval"}},
		{name: "sub-microsecond interval serialises with µs", mutate: func(g *sourcev1.GitRepository) {
			g.Spec.Interval = metav1.Duration{Duration: 1500 * time.Nanosecond}
		}, want: []string{"FieldValueInvalid spec.interval"}},
		{name: "interval in hours is fine", mutate: func(g *sourcev1.GitRepository) { g.Spec.Interval = metav1.Duration{Duration: 2 * time.Hour} }},
		{name: "timeout of an hour or more serialises with h", mutate: func(g *sourcev1.GitRepository) { g.Spec.Timeout = dur(90 * time.Minute) },
			want: []string{"FieldValueInvalid spec.timeout"}},
		{name: "timeout 59m59s", mutate: func(g *sourcev1.GitRepository) { g.Spec.Timeout = dur(time.Hour - time.Second) }},
		{name: "provider and mode enums", mutate: func(g *sourcev1.GitRepository) {
			g.Spec.Provider = "gitlab"
			g.Spec.Verification = &sourcev1.GitRepositoryVerification{Mode: "tag", SecretRef: meta.LocalObjectReference{Name: "k"}}
		}, want: []string{"FieldValueNotSupported spec.provider", "FieldValueNotSupported spec.verify.mode"}},
		{name: "lower-case head mode is allowed", mutate: func(g *sourcev1.GitRepository) {
			g.Spec.Verification = &sourcev1.GitRepositoryVerification{Mode: "head", SecretRef: meta.LocalObjectReference{Name: "k"}}
		}},
		{name: "empty references", mutate: func(g *sourcev1.GitRepository) {
			g.Spec.SecretRef = &meta.LocalObjectReference{}
			g.Spec.ProxySecretRef = &meta.LocalObjectReference{}
			g.Spec.Verification = &sourcev1.GitRepositoryVerification{}
			g.Spec.Include = []sourcev1.GitRepositoryInclude{{GitRepositoryRef: meta.LocalObjectReference{Name: "ok"}}, {ToPath: "x"}}
		}, want: []string{"FieldValueRequired spec.include[1].repository", "FieldValueRequired spec.proxySecretRef.name",
			"FieldValueRequired spec.secretRef.name", "FieldValueRequired spec.verify.secretRef"}},
		{name: "serviceAccountName needs azure or aws", mutate: func(g *sourcev1.GitRepository) {
			g.Spec.ServiceAccountName, g.Spec.Provider = "sa", sourcev1.GitProviderGitHub
		}, want: []string{"FieldValueInvalid spec.serviceAccountName"}},
		{name: "serviceAccountName with aws", mutate: func(g *sourcev1.GitRepository) {
			g.Spec.ServiceAccountName, g.Spec.Provider = "sa", sourcev1.GitProviderAWS
		}},
		{name: "status is never validated", mutate: func(g *sourcev1.GitRepository) {
			g.Status.Artifact = &meta.Artifact{Digest: "not a digest"}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := validGitRepository()
			tc.mutate(g)
			if got := fieldsOf(sourcecheck.ValidateGitRepository(g)); !slices.Equal(got, tc.want) {
				t.Errorf("ValidateGitRepository() = %v, want %v", got, tc.want)
			}
		})
	}
}
