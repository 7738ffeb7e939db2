package corpus

import (
	"errors"
	"strings"

	"github.com/digx/fluxtf/generator"
)

// Pair returns the environment's GitRepository and first base Terraform as
// one two-document YAML file.
func Pair(o *generator.Output) ([]byte, error) {
	env := o.Env.Env.Name
	var git, eks []byte
	for _, f := range o.Files {
		switch {
		case f.Path == env+"/gitrepository.yaml":
			git = f.Data
		case eks == nil && strings.HasSuffix(f.Path, "/eks.yaml"):
			eks = f.Data
		}
	}
	if git == nil || eks == nil {
		return nil, errors.New(env + ": no GitRepository or base Terraform rendered")
	}
	return append(append(append([]byte{}, git...), "---\n"...), eks...), nil
}
