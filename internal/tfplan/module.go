package tfplan

import (
	"fmt"
	"strings"

	"github.com/digx/fluxtf/internal/tftype"
	"github.com/digx/fluxtf/templates"
)

// Module is an interface-only Terraform module: files by slash path.
type Module map[string]string

// DecodedModule is the folder of the child module that holds the decoded
// inputs' types.
const DecodedModule = "decoded"

// InterfaceModule builds the interface of module m of stack st from its
// contract, with no resources and no providers:
//
//   - one variable per input, of its declared type; a required input has
//     no default (Terraform refuses to plan without it), an optional one
//     defaults to null;
//   - for an input the contract decodes, a local holding
//     jsondecode(var.<name>), passed to the child module "decoded", whose
//     variable of the decoded type checks it as Terraform would;
//   - one output per declared output, a placeholder value of exactly its
//     declared type.
func InterfaceModule(st *templates.Stack, m *templates.Module) (Module, error) {
	var main, decoded, locals, args strings.Builder
	fmt.Fprintf(&main, "# Interface of module %s of stack %s, generated from the catalogue's contract.\n", m.Name, st.Name)
	for _, in := range st.Contract(m) {
		t, err := tftype.Parse(in.Type)
		if err != nil {
			return nil, fmt.Errorf("module %s: input %s: %w", m.Name, in.Name, err)
		}
		fmt.Fprintf(&main, "\nvariable %q {\n  type = %s\n", in.Name, t)
		if !in.Required {
			main.WriteString("  default = null\n")
		}
		main.WriteString("}\n")
		if in.Decode == "" {
			continue
		}
		dt, err := tftype.Parse(in.Decode)
		if err != nil {
			return nil, fmt.Errorf("module %s: input %s: decode: %w", m.Name, in.Name, err)
		}
		fmt.Fprintf(&locals, "  %s = jsondecode(var.%s)\n", in.Name, in.Name)
		fmt.Fprintf(&args, "  %s = local.%s\n", in.Name, in.Name)
		fmt.Fprintf(&decoded, "variable %q {\n  type = %s\n}\n\n", in.Name, dt)
	}
	for _, o := range m.Outputs {
		t, err := tftype.Parse(o.Type)
		if err != nil {
			return nil, fmt.Errorf("module %s: output %s: %w", m.Name, o.Name, err)
		}
		fmt.Fprintf(&main, "\noutput %q {\n  value = %s\n}\n", o.Name, t.PlaceholderHCL(o.Name))
	}
	mod := Module{}
	if locals.Len() > 0 {
		fmt.Fprintf(&main, "\nlocals {\n%s}\n\nmodule %q {\n  source = \"./%s\"\n%s}\n", locals.String(), DecodedModule, DecodedModule, args.String())
		mod[DecodedModule+"/main.tf"] = decoded.String()
	}
	mod["main.tf"] = main.String()
	return mod, nil
}
