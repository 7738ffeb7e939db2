// Package lineedit holds the small text helpers of the commands that edit
// a user's spec in place (fluxtf approve, fluxtf promote): they change the
// lines a YAML node covers and leave every other byte, comments and layout
// included, as it was.
package lineedit
