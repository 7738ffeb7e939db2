package kubemeta

import (
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ValidateTypeMeta requires apiVersion and kind to be wantAPIVersion and
// wantKind.
func ValidateTypeMeta(apiVersion, kind, wantAPIVersion, wantKind string) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct{ name, got, want string }{{"apiVersion", apiVersion, wantAPIVersion}, {"kind", kind, wantKind}} {
		switch f.got {
		case "":
			errs = append(errs, field.Required(field.NewPath(f.name), "must be "+f.want))
		case f.want:
		default:
			errs = append(errs, field.NotSupported(field.NewPath(f.name), f.got, []string{f.want}))
		}
	}
	return errs
}

// ValidateObjectMeta requires metadata.name and applies the API server's
// name rules for namespaced custom resources (a DNS-1123 subdomain name, a
// DNS-1123 label namespace); a CRD's schema says nothing about metadata.
func ValidateObjectMeta(m *metav1.ObjectMeta) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("metadata")
	if m.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), "a manifest must have a name"))
	} else if !isDNS1123Subdomain(m.Name) {
		for _, msg := range apivalidation.NameIsDNSSubdomain(m.Name, false) {
			errs = append(errs, field.Invalid(p.Child("name"), m.Name, msg))
		}
	}
	if m.Namespace != "" && !isDNS1123Label(m.Namespace) {
		for _, msg := range apivalidation.ValidateNamespaceName(m.Namespace, false) {
			errs = append(errs, field.Invalid(p.Child("namespace"), m.Namespace, msg))
		}
	}
	return errs
}
