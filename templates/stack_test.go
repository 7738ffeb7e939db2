package templates

import (
	"reflect"
	"testing"
)

// TestStackInput: Input finds the input Contract holds under that name
// (the first in catalogue order, as Contract's stable sort keeps it),
// without building the contract: the generator asks once per variable of
// every Terraform it renders, and on a fleet of thousands of environments
// building and sorting the contract each time was a good part of a
// render's allocations. (Not parallel: it counts allocations.)
func TestStackInput(t *testing.T) {
	set := Embedded()
	for _, name := range []string{"jeppesen-eks", "ocm-client"} {
		st, err := set.Stack(name)
		if err != nil {
			t.Fatal(err)
		}
		modules := []*Module{&st.Base}
		for i := range st.Components {
			modules = append(modules, &st.Components[i])
		}
		for _, m := range modules {
			contract := st.Contract(m)
			if len(contract) == 0 {
				t.Fatalf("%s/%s: empty contract", name, m.Name)
			}
			for _, want := range contract {
				got := st.Input(m, want.Name)
				if got == nil {
					t.Errorf("%s/%s: Input(%s) = nil", name, m.Name, want.Name)
					continue
				}
				var first Input
				for _, c := range contract {
					if c.Name == want.Name {
						first = c
						break
					}
				}
				if !reflect.DeepEqual(*got, first) {
					t.Errorf("%s/%s: Input(%s) = %+v, want %+v", name, m.Name, want.Name, *got, first)
				}
			}
			if st.Input(m, "no_such_input") != nil {
				t.Errorf("%s/%s: Input of an undeclared name is not nil", name, m.Name)
			}
			last := contract[len(contract)-1].Name
			// the copy it returns, nothing more
			if n := testing.AllocsPerRun(20, func() { _ = st.Input(m, last) }); n > 1 {
				t.Errorf("%s/%s: Input allocates %.0f times, want at most 1 (it builds the contract?)", name, m.Name, n)
			}
		}
	}
}
