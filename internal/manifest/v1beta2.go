package manifest

import (
	"regexp"

	sourcev1beta2 "github.com/fluxcd/source-controller/api/v1beta2"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/digx/fluxtf/internal/kubemeta"
	"github.com/digx/fluxtf/internal/sourcecheck"
)

// The v1beta2 GitRepository states the same url, interval and timeout
// patterns as v1 (its kubebuilder markers in source-controller
// api/v1beta2), so sourcecheck's patterns serve both.
var (
	v1beta2URLRE      = regexp.MustCompile(sourcecheck.URLPattern)
	v1beta2IntervalRE = regexp.MustCompile(sourcecheck.IntervalPattern)
	v1beta2TimeoutRE  = regexp.MustCompile(sourcecheck.TimeoutPattern)
)

// Enums of the v1beta2 GitRepository.
var (
	v1beta2GitImplementations = []string{"go-git", "libgit2"}
	v1beta2VerifyModes        = []string{"head"}
)

// validateGitRepositoryV1beta2 checks the constraints that the v1beta2
// GitRepository types state for spec (required url and interval, the url,
// interval and timeout patterns, the gitImplementation and verify.mode
// enums, required names of references) and the API server's rules for
// metadata.name and namespace. Like sourcecheck.ValidateGitRepository it
// checks durations on their serialised form and treats empty strings as
// missing.
func validateGitRepositoryV1beta2(g *sourcev1beta2.GitRepository) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, kubemeta.ValidateObjectMeta(&g.ObjectMeta)...)

	s := &g.Spec
	p := field.NewPath("spec")
	switch {
	case s.URL == "":
		errs = append(errs, field.Required(p.Child("url"), ""))
	case !v1beta2URLRE.MatchString(s.URL):
		errs = append(errs, field.Invalid(p.Child("url"), s.URL, "must match "+sourcecheck.URLPattern))
	}
	if s.Interval.Duration == 0 {
		errs = append(errs, field.Required(p.Child("interval"), "must be a non-zero duration"))
	} else if str := s.Interval.Duration.String(); !v1beta2IntervalRE.MatchString(str) {
		errs = append(errs, field.Invalid(p.Child("interval"), str, "must match "+sourcecheck.IntervalPattern))
	}
	if s.Timeout != nil {
		if str := s.Timeout.Duration.String(); !v1beta2TimeoutRE.MatchString(str) {
			errs = append(errs, field.Invalid(p.Child("timeout"), str,
				"must match "+sourcecheck.TimeoutPattern+" (checked on the serialised form of the duration)"))
		}
	}
	if s.GitImplementation != "" && !contains(v1beta2GitImplementations, s.GitImplementation) {
		errs = append(errs, field.NotSupported(p.Child("gitImplementation"), s.GitImplementation, v1beta2GitImplementations))
	}
	if s.SecretRef != nil && s.SecretRef.Name == "" {
		errs = append(errs, field.Required(p.Child("secretRef", "name"), ""))
	}
	if v := s.Verification; v != nil {
		vp := p.Child("verify")
		switch {
		case v.Mode == "":
			errs = append(errs, field.Required(vp.Child("mode"), "supported values: \"head\""))
		case !contains(v1beta2VerifyModes, v.Mode):
			errs = append(errs, field.NotSupported(vp.Child("mode"), v.Mode, v1beta2VerifyModes))
		}
		if v.SecretRef.Name == "" {
			errs = append(errs, field.Required(vp.Child("secretRef"), "secretRef.name is required"))
		}
	}
	for i := range s.Include {
		if s.Include[i].GitRepositoryRef.Name == "" {
			errs = append(errs, field.Required(p.Child("include").Index(i).Child("repository"), "repository.name is required"))
		}
	}
	return errs
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
