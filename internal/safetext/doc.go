// Package safetext neutralises untrusted strings before fluxtf prints them.
//
// Everything fluxtf prints can carry text it did not write: file and folder
// names, object names, YAML values quoted in errors, messages of user
// policies. Printed raw, such text can drive the reader's terminal (ESC,
// OSC, BEL, CR sequences that move the cursor, rewrite earlier lines or set
// the window title), reorder what a reviewer sees (Unicode bidirectional
// overrides) or, inside a GitHub Actions step, be read by the runner as a
// workflow command: a line whose first non-blank characters are "::"
// (`::error file=…::`, `::add-mask::`, `::stop-commands::`) or that holds
// "##[" (the runner's older command form, matched anywhere in a line).
//
// Line and Text escape control and format characters Go-style (`\n`,
// `\x1b`, `\u202e`), so the text stays readable and unambiguous; Commands
// defuses workflow commands line by line. The report formats and the CLI's
// error and progress lines pass every such string through them.
package safetext
