package sourcecheck

import (
	"regexp"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/digx/fluxtf/internal/kubemeta"
)

// Patterns stated by the v1 GitRepository CRD.
const (
	// URLPattern is the pattern of spec.url.
	URLPattern = `^(http|https|ssh)://.*$`
	// IntervalPattern is the pattern of spec.interval.
	IntervalPattern = `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// TimeoutPattern is the pattern of spec.timeout (note: no hours).
	TimeoutPattern = `^([0-9]+(\.[0-9]+)?(ms|s|m))+$`
)

// GitRepositoryAPIVersion is the apiVersion of a v1 GitRepository manifest.
var GitRepositoryAPIVersion = sourcev1.GroupVersion.String()

var (
	urlRE      = regexp.MustCompile(URLPattern)
	intervalRE = regexp.MustCompile(IntervalPattern)
	timeoutRE  = regexp.MustCompile(TimeoutPattern)
)

// GitProviders are the values the CRD allows for spec.provider.
var GitProviders = []string{
	sourcev1.GitProviderGeneric, sourcev1.GitProviderAWS, sourcev1.GitProviderAzure, sourcev1.GitProviderGitHub,
}

// GitVerificationModes are the values the CRD allows for spec.verify.mode.
var GitVerificationModes = []string{"head", "HEAD", "Tag", "TagAndHEAD"}

// ValidateGitRepository checks g against the v1 GitRepository CRD's constraints for
// spec, plus apiVersion/kind and metadata.name; status is not checked.
//
// Implemented: required spec.url, spec.interval, include[].repository(.name),
// secretRef.name, proxySecretRef.name, verify.secretRef(.name); enums of provider and
// verify.mode; patterns of url, interval and timeout; and the CEL rule "serviceAccountName
// can only be set when provider is 'azure' or 'aws'".
//
// Decoded Go values cannot tell an absent field from its zero value: an empty
// required string, or a zero required struct or duration, is reported as missing,
// and an empty provider/mode is treated as unset. metav1.Duration keeps no text,
// so the interval/timeout patterns are checked against the form the duration
// marshals to (metav1.Duration.String(), e.g. "1h30m0s"): a timeout written as
// "90m" is therefore reported, because re-serialising it yields an hour unit that
// the timeout pattern forbids.
func ValidateGitRepository(g *sourcev1.GitRepository) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, kubemeta.ValidateTypeMeta(g.APIVersion, g.Kind, GitRepositoryAPIVersion, sourcev1.GitRepositoryKind)...)
	errs = append(errs, kubemeta.ValidateObjectMeta(&g.ObjectMeta)...)

	s := &g.Spec
	p := field.NewPath("spec")

	if s.URL == "" {
		errs = append(errs, field.Required(p.Child("url"), ""))
	} else if !urlRE.MatchString(s.URL) {
		errs = append(errs, field.Invalid(p.Child("url"), s.URL, "must match "+URLPattern))
	}

	if s.Interval.Duration == 0 {
		errs = append(errs, field.Required(p.Child("interval"), "must be a non-zero duration"))
	} else if str := s.Interval.Duration.String(); !intervalRE.MatchString(str) {
		errs = append(errs, field.Invalid(p.Child("interval"), str, "must match "+IntervalPattern))
	}

	if s.Timeout != nil {
		if str := s.Timeout.Duration.String(); !timeoutRE.MatchString(str) {
			errs = append(errs, field.Invalid(p.Child("timeout"), str,
				"must match "+TimeoutPattern+" (checked on the serialised form of the duration)"))
		}
	}

	if s.Provider != "" && !contains(GitProviders, s.Provider) {
		errs = append(errs, field.NotSupported(p.Child("provider"), s.Provider, GitProviders))
	}

	if s.SecretRef != nil && s.SecretRef.Name == "" {
		errs = append(errs, field.Required(p.Child("secretRef", "name"), ""))
	}
	if s.ProxySecretRef != nil && s.ProxySecretRef.Name == "" {
		errs = append(errs, field.Required(p.Child("proxySecretRef", "name"), ""))
	}

	if v := s.Verification; v != nil {
		vp := p.Child("verify")
		if v.Mode != "" && !contains(GitVerificationModes, string(v.Mode)) {
			errs = append(errs, field.NotSupported(vp.Child("mode"), string(v.Mode), GitVerificationModes))
		}
		if v.SecretRef.Name == "" {
			// secretRef's only field is its required name: a zero value means
			// either secretRef or its name is missing.
			errs = append(errs, field.Required(vp.Child("secretRef"), "secretRef.name is required"))
		}
	}

	for i := range s.Include {
		if s.Include[i].GitRepositoryRef.Name == "" {
			errs = append(errs, field.Required(p.Child("include").Index(i).Child("repository"),
				"repository.name is required"))
		}
	}

	// x-kubernetes-validations on spec:
	//   !has(self.serviceAccountName) || (has(self.provider) && (self.provider == 'azure' || self.provider == 'aws'))
	if s.ServiceAccountName != "" && s.Provider != sourcev1.GitProviderAzure && s.Provider != sourcev1.GitProviderAWS {
		errs = append(errs, field.Invalid(p.Child("serviceAccountName"), s.ServiceAccountName,
			"serviceAccountName can only be set when provider is 'azure' or 'aws'"))
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
