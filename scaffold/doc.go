// Package scaffold creates a new fluxtf repository (`fluxtf init`): the
// environment specs, a Makefile, the pre-commit configuration and the
// GitHub workflow from the embedded templates (templates/init/), and the
// output those specs render to, so that `fluxtf check` passes straight
// away.
//
// The template files may hold these placeholders, replaced everywhere:
//
//	__SOURCE_URL__   git URL of the module stack (Options.SourceURL)
//	__TAG__          module stack release uat and prod start on (Options.Tag)
//	__FLUXTF_REV__   fluxtf version the hook, the workflow and the Makefile
//	                 use: a release tag, or main (Options.Rev)
package scaffold
