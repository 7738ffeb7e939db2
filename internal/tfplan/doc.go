// Package tfplan runs rendered tf-controller Terraform objects through the
// real terraform CLI the way tf-controller's runner would, against
// interface-only modules generated from the stack catalogue's contracts:
//
//   - the variables file generated.auto.tfvars.json: spec.vars as their
//     JSON values, then every varsFrom key as a JSON string of the Secret's
//     bytes (TFVars);
//   - the outputs Secret of writeOutputsToSecret: a string output as its
//     bare text, any other output as its JSON plus a "<name>__type" key,
//     and a listed output that does not exist fails the run (SecretData);
//   - the backend: backend_override.tf wrapping customConfiguration (or the
//     Kubernetes backend) in a terraform block (BackendOverride).
//
// A Runner plans every object in dependency order (init -backend=false,
// plan, and for producers apply and output), so consumers read what their
// producers really wrote, and initialises every backend against a local
// fake of the AWS endpoints. DEVELOPERS.md names the places in
// tofu-controller's source each behaviour is taken from.
package tfplan
