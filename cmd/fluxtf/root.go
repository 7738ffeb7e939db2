package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/internal/yamlx"
)

// Exit codes, as in DESIGN.md.
const (
	exitOK       = 0
	exitFindings = 1 // deny findings or drift
	exitInput    = 2 // usage or input error
	// exitInterrupted: the run was interrupted (Ctrl-C, SIGTERM) and
	// stopped early; its output is incomplete. 128+SIGINT, as shells report.
	exitInterrupted = 130
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error // nil when the command already printed what went wrong
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// findings returns the error a command uses to exit 1 after printing its
// own report.
func findings() error { return &exitError{code: exitFindings} }

// streams are where a command writes.
type streams struct {
	out io.Writer // machine output
	err io.Writer // humans: progress, summaries, errors
}

// versionString is this build's version (see buildVersion).
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return buildVersion(version, bi).Version
}

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "fluxtf",
		Short: "Render and validate Flux + tf-controller manifests for EKS environments",
		Long: `fluxtf expands small environment specs (dev, uat, prod) into Flux
GitRepository and tf-controller Terraform objects for the jeppesen-eks module
stack, and checks manifests, generated or hand-written, with embedded Rego
policies before they are committed.

Exit codes: 0 clean (warnings allowed), 1 findings or drift, 2 usage or
input error, 130 interrupted (Ctrl-C).`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitInput, err: fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(
		newRenderCmd(s),
		newValidateCmd(s),
		newCheckCmd(s),
		newExplainCmd(s),
		newPolicyCmd(s),
		newComponentsCmd(s),
		newSchemaCmd(s),
		newInitCmd(s),
		newApproveCmd(s),
		newVersionCmd(s),
		newDiffCmd(s),
		newPromoteCmd(s),
	)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	plainBools(root)
	return root
}

// run executes the CLI and returns the process exit code; only main exits.
// SIGINT and SIGTERM cancel the commands' context, so a long run stops
// cleanly; a second signal kills the process as usual.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // the next signal gets the default action
	return runContext(ctx, args, stdout, stderr)
}

// runContext executes the CLI with ctx; once ctx is cancelled the command
// stops and the run exits 130 with one line on stderr, whatever it returned.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	s := streams{out: stdout, err: stderr}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "fluxtf: internal error: %s\nplease report this with the command you ran\n", safetext.Line(fmt.Sprint(r)))
			code = exitInput
		}
	}()
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "fluxtf: interrupted: the run stopped early; rerun it for a complete result")
		return exitInterrupted
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			printError(stderr, ee.err)
		}
		return ee.code
	}
	printError(stderr, err)
	return exitInput
}

// statusf writes one line of fluxtf's own to w (a status, a note, a
// warning): whatever the strings it names hold (a path, a flag's value),
// it stays one line, escaped as printError escapes errors.
func statusf(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, safetext.Commands(safetext.Line(fmt.Sprintf(format, args...))))
}

// printError writes one line per problem; positioned problems start with
// file:line:col so editors and CI can link them.
func printError(w io.Writer, err error) {
	for _, line := range errorLines(err) {
		fmt.Fprintln(w, safetext.Commands(safetext.Line(line)))
	}
}

func errorLines(err error) []string {
	var lines []string
	var walk func(error)
	walk = func(e error) {
		if l := yamlx.AsList(e); l != nil && isOnlyList(e) {
			for _, x := range l {
				lines = append(lines, x.Error())
			}
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if l := yamlx.AsList(e); l != nil {
			// a wrapper naming the list's context ("baseline HEAD: "):
			// each problem on its line with it, whatever newline a
			// problem's path or value holds (printError escapes it)
			if prefix, ok := strings.CutSuffix(e.Error(), l.Error()); ok && prefix != "" && !strings.Contains(prefix, "\n") {
				for _, x := range l {
					if line := prefix + x.Error(); looksPositioned(line) {
						lines = append(lines, line)
					} else {
						lines = append(lines, "fluxtf: "+line)
					}
				}
				return
			}
		}
		msgs := strings.Split(e.Error(), "\n")
		var ge *gitfs.Error
		if errors.As(e, &ge) {
			// one problem, whose path (the working folder) or git's
			// message may hold a newline: one line, escaped by printError
			msgs = []string{strings.TrimSpace(e.Error())}
		}
		for _, l := range msgs {
			if strings.TrimSpace(l) == "" {
				continue
			}
			if looksPositioned(l) {
				lines = append(lines, l)
			} else {
				lines = append(lines, "fluxtf: "+l)
			}
		}
	}
	walk(err)
	return lines
}

// isOnlyList reports whether err is itself an ErrorList or *Error (not a
// wrapper adding context we would lose).
func isOnlyList(err error) bool {
	switch err.(type) { //nolint:errorlint // the exact type matters: a wrapper adds context to keep
	case yamlx.ErrorList, *yamlx.Error:
		return true
	}
	return false
}

// looksPositioned reports whether a message starts with "file:line".
func looksPositioned(l string) bool {
	file, rest, ok := strings.Cut(l, ":")
	if !ok || file == "" || strings.Contains(file, " ") {
		return false
	}
	return len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9'
}
