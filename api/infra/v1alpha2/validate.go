package v1alpha2

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/digx/fluxtf/internal/kubemeta"
)

// FileMappingPathPattern is the CRD's pattern for spec.fileMappings[].path.
const FileMappingPathPattern = `^(.?[/_a-zA-Z0-9]{1,})*$`

// Length limits the CRD puts on referent and health check names.
const (
	// NameMinLength is the minLength of varsFrom/backendConfigsFrom/healthChecks names.
	NameMinLength = 1
	// NameMaxLength is the maxLength of varsFrom/backendConfigsFrom/healthChecks names.
	NameMaxLength = 253
)

var fileMappingPathRE = regexp.MustCompile(FileMappingPathPattern)

// Validate checks t against the constraints that the v1alpha2 Terraform CRD's
// openAPIV3Schema states for spec, plus apiVersion/kind and metadata.name. It
// never reports anything about status.
//
// Errors carry field paths such as spec.varsFrom[0].kind. Because decoded Go values
// cannot tell an absent field from its zero value, an empty required string (or a
// zero required struct or duration) is reported as missing, and an empty optional
// enum string is treated as unset. Integer formats (int32/int64) and the
// resource.Quantity pattern of vars[].valueFrom.resourceFieldRef.divisor are
// enforced by the Go types at decode time and are not re-checked here.
//
// Inside spec.runnerPodTemplate.spec (core/v1 types) only the required fields of
// each list item are checked (env[].name, hostAliases[].ip, initContainers[].name,
// volumeMounts[].name and .mountPath, volumes[].name); the deeper core/v1 schema
// (probes, volume sources, affinity terms, ...) is not validated.
func (t *Terraform) Validate() field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, kubemeta.ValidateTypeMeta(t.APIVersion, t.Kind, APIVersion, TerraformKind)...)
	errs = append(errs, kubemeta.ValidateObjectMeta(&t.ObjectMeta)...)
	errs = append(errs, validateSpec(&t.Spec, field.NewPath("spec"))...)
	return errs
}

func validateSpec(s *TerraformSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	// required: interval, sourceRef
	if s.Interval.Duration == 0 {
		errs = append(errs, field.Required(p.Child("interval"), "must be a non-zero duration"))
	}
	errs = append(errs, validateSourceRef(&s.SourceRef, p.Child("sourceRef"))...)

	for i := range s.BackendConfigsFrom {
		ref := &s.BackendConfigsFrom[i]
		ip := p.Child("backendConfigsFrom").Index(i)
		errs = append(errs, requiredEnum(ref.Kind, ip.Child("kind"), ReferenceKindSecret, ReferenceKindConfigMap)...)
		errs = append(errs, requiredName(ref.Name, ip.Child("name"))...)
	}

	if c := s.Cloud; c != nil {
		cp := p.Child("cloud")
		errs = append(errs, requiredString(c.Organization, cp.Child("organization"))...)
		if c.Workspaces == nil {
			errs = append(errs, field.Required(cp.Child("workspaces"), ""))
		}
	}

	for i := range s.DependsOn {
		if s.DependsOn[i].Name == "" { // (the path is built only for an error)
			errs = append(errs, requiredString(s.DependsOn[i].Name, p.Child("dependsOn").Index(i).Child("name"))...)
		}
	}

	for i := range s.FileMappings {
		fm := &s.FileMappings[i]
		ip := p.Child("fileMappings").Index(i)
		errs = append(errs, requiredEnum(fm.Location, ip.Child("location"), FileMappingLocationHome, FileMappingLocationWorkspace)...)
		if fm.Path == "" {
			errs = append(errs, field.Required(ip.Child("path"), ""))
		} else if !fileMappingPathRE.MatchString(fm.Path) {
			errs = append(errs, field.Invalid(ip.Child("path"), fm.Path, "must match "+FileMappingPathPattern))
		}
		if fm.SecretRef == (SecretKeyReference{}) {
			errs = append(errs, field.Required(ip.Child("secretRef"), ""))
		} else {
			errs = append(errs, requiredString(fm.SecretRef.Name, ip.Child("secretRef", "name"))...)
		}
	}

	for i := range s.HealthChecks {
		hc := &s.HealthChecks[i]
		ip := p.Child("healthChecks").Index(i)
		errs = append(errs, requiredName(hc.Name, ip.Child("name"))...)
		errs = append(errs, requiredEnum(hc.Type, ip.Child("type"), HealthCheckTypeTCP, HealthCheckTypeHTTP)...)
	}

	for i := range s.ReadInputsFromSecrets {
		r := &s.ReadInputsFromSecrets[i]
		ip := p.Child("readInputsFromSecrets").Index(i)
		errs = append(errs, requiredString(r.Name, ip.Child("name"))...)
		errs = append(errs, requiredString(r.As, ip.Child("as"))...)
	}

	if s.RetryStrategy != "" {
		errs = append(errs, optionalEnum(s.RetryStrategy, p.Child("retryStrategy"),
			RetryStrategyStaticInterval, RetryStrategyExponentialBackoff)...)
	}
	if s.StoreReadablePlan != "" {
		errs = append(errs, optionalEnum(s.StoreReadablePlan, p.Child("storeReadablePlan"),
			StoreReadablePlanNone, StoreReadablePlanJSON, StoreReadablePlanHuman)...)
	}

	if s.TFState != nil && s.TFState.ForceUnlock != "" {
		errs = append(errs, optionalEnum(s.TFState.ForceUnlock, p.Child("tfstate", "forceUnlock"),
			ForceUnlockYes, ForceUnlockNo, ForceUnlockAuto)...)
	}

	for i := range s.Vars {
		v := &s.Vars[i]
		if v.Name != "" && v.ValueFrom == nil {
			continue // nothing to report: no paths to build (most vars)
		}
		ip := p.Child("vars").Index(i)
		errs = append(errs, requiredString(v.Name, ip.Child("name"))...)
		if v.ValueFrom != nil {
			errs = append(errs, validateVarValueFrom(v, ip.Child("valueFrom"))...)
		}
	}

	for i := range s.VarsFrom {
		ref := &s.VarsFrom[i]
		if (ref.Kind == ReferenceKindSecret || ref.Kind == ReferenceKindConfigMap) && ref.Name != "" && len(ref.Name) <= NameMaxLength {
			continue // valid (requiredEnum and requiredName): no paths to build
		}
		ip := p.Child("varsFrom").Index(i)
		errs = append(errs, requiredEnum(ref.Kind, ip.Child("kind"), ReferenceKindSecret, ReferenceKindConfigMap)...)
		errs = append(errs, requiredName(ref.Name, ip.Child("name"))...)
	}

	for i := range s.Webhooks {
		w := &s.Webhooks[i]
		ip := p.Child("webhooks").Index(i)
		errs = append(errs, requiredEnum(w.Stage, ip.Child("stage"), WebhookStagePostPlanning)...)
		errs = append(errs, requiredString(w.URL, ip.Child("url"))...)
		errs = append(errs, requiredString(w.TestExpression, ip.Child("testExpression"))...)
	}

	if w := s.WriteOutputsToSecret; w != nil {
		errs = append(errs, requiredString(w.Name, p.Child("writeOutputsToSecret", "name"))...)
	}

	errs = append(errs, validateRunnerPodSpec(&s.RunnerPodTemplate.Spec, p.Child("runnerPodTemplate", "spec"))...)
	return errs
}

func validateSourceRef(r *CrossNamespaceSourceReference, p *field.Path) field.ErrorList {
	if *r == (CrossNamespaceSourceReference{}) {
		return field.ErrorList{field.Required(p, "")}
	}
	var errs field.ErrorList
	errs = append(errs, requiredEnum(r.Kind, p.Child("kind"),
		SourceKindGitRepository, SourceKindBucket, SourceKindOCIRepository)...)
	errs = append(errs, requiredString(r.Name, p.Child("name"))...)
	return errs
}

// validateVarValueFrom checks the required keys the CRD states for the
// core/v1 EnvVarSource selectors. It does not check that exactly one selector is
// set (the CRD does not say so).
func validateVarValueFrom(v *Variable, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	vf := v.ValueFrom
	if r := vf.ConfigMapKeyRef; r != nil {
		errs = append(errs, requiredString(r.Key, p.Child("configMapKeyRef", "key"))...)
	}
	if r := vf.FieldRef; r != nil {
		errs = append(errs, requiredString(r.FieldPath, p.Child("fieldRef", "fieldPath"))...)
	}
	if r := vf.FileKeyRef; r != nil {
		fp := p.Child("fileKeyRef")
		errs = append(errs, requiredString(r.Key, fp.Child("key"))...)
		errs = append(errs, requiredString(r.Path, fp.Child("path"))...)
		errs = append(errs, requiredString(r.VolumeName, fp.Child("volumeName"))...)
	}
	if r := vf.ResourceFieldRef; r != nil {
		errs = append(errs, requiredString(r.Resource, p.Child("resourceFieldRef", "resource"))...)
	}
	if r := vf.SecretKeyRef; r != nil {
		errs = append(errs, requiredString(r.Key, p.Child("secretKeyRef", "key"))...)
	}
	return errs
}

// validateRunnerPodSpec checks only the required fields of the list items directly
// under runnerPodTemplate.spec; deeper core/v1 constraints are skipped.
func validateRunnerPodSpec(s *RunnerPodSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range s.Env {
		errs = append(errs, requiredString(s.Env[i].Name, p.Child("env").Index(i).Child("name"))...)
	}
	for i := range s.HostAliases {
		errs = append(errs, requiredString(s.HostAliases[i].IP, p.Child("hostAliases").Index(i).Child("ip"))...)
	}
	for i := range s.InitContainers {
		errs = append(errs, requiredString(s.InitContainers[i].Name, p.Child("initContainers").Index(i).Child("name"))...)
	}
	for i := range s.VolumeMounts {
		ip := p.Child("volumeMounts").Index(i)
		errs = append(errs, requiredString(s.VolumeMounts[i].MountPath, ip.Child("mountPath"))...)
		errs = append(errs, requiredString(s.VolumeMounts[i].Name, ip.Child("name"))...)
	}
	for i := range s.Volumes {
		errs = append(errs, requiredString(s.Volumes[i].Name, p.Child("volumes").Index(i).Child("name"))...)
	}
	return errs
}

func requiredString(v string, p *field.Path) field.ErrorList {
	if v == "" {
		return field.ErrorList{field.Required(p, "")}
	}
	return nil
}

// requiredName checks a required name with the CRD's minLength 1 / maxLength 253.
func requiredName(v string, p *field.Path) field.ErrorList {
	if v == "" {
		return field.ErrorList{field.Required(p, fmt.Sprintf("must be %d to %d characters", NameMinLength, NameMaxLength))}
	}
	if utf8.RuneCountInString(v) > NameMaxLength {
		return field.ErrorList{field.TooLong(p, v, NameMaxLength)}
	}
	return nil
}

func requiredEnum[T ~string](v T, p *field.Path, allowed ...T) field.ErrorList {
	if v == "" {
		return field.ErrorList{field.Required(p, "supported values: "+quoteAll(allowed))}
	}
	return optionalEnum(v, p, allowed...)
}

func optionalEnum[T ~string](v T, p *field.Path, allowed ...T) field.ErrorList {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	strs := make([]string, len(allowed))
	for i, a := range allowed {
		strs[i] = string(a)
	}
	return field.ErrorList{field.NotSupported(p, v, strs)}
}

func quoteAll[T ~string](vs []T) string {
	out := ""
	for i, v := range vs {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", string(v))
	}
	return out
}
