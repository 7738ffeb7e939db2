// Package textdiff prints unified diffs of text files, line by line, the
// way `diff -u` and git do, so drift reports read like a review.
package textdiff
