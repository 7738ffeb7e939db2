//go:build !linux

package generator

import "os"

// rawRoot is the output root's own folder for the planner's scan with raw
// system calls, which only Linux has (scan_linux.go).
type rawRoot struct{}

// openRawRoot returns nil: scan takes os.Root's way.
func openRawRoot(*os.Root) *rawRoot { return nil }

func (r *rawRoot) close() {}

// scanEnvFast leaves every folder to scanEnv.
func (p *planner) scanEnvFast(string, *scanned) (bool, error) { return false, nil }
