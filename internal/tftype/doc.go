// Package tftype parses Terraform type constraints (string, number, bool,
// any, list(T), set(T), map(T), tuple([T, …]), object({name = T, …}) with
// optional(T) attributes), as the module contracts of a stack catalogue
// declare them, and checks decoded JSON values against them the way
// Terraform converts a variable's value: a number or bool is a valid
// string, a string is a valid number or bool only when it reads as one.
// Placeholder builds a value of a type, for interface-only test modules.
package tftype
