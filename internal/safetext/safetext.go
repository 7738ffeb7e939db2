package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s for printing on one line: every control character
// (newlines and tabs included), every Unicode format character (such as
// bidirectional overrides and zero-width joiners) and every invalid UTF-8
// byte is replaced by its Go escape. Plain text, including non-ASCII
// letters, is returned unchanged.
func Line(s string) string { return escape(s, false) }

// Text is Line for text that may span lines: newlines and tabs are kept,
// everything else Line escapes is escaped.
func Text(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	if clean(s, keepLines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r) // '\n', '\x1b', '\u202e'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// clean reports whether s needs no escaping, without allocating.
func clean(s string, keepLines bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return cleanUnicode(s[i:], keepLines)
		}
		if c < 0x20 || c == 0x7f {
			if keepLines && (c == '\n' || c == '\t') {
				continue
			}
			return false
		}
	}
	return true
}

func cleanUnicode(s string, keepLines bool) bool {
	for _, r := range s {
		if r == utf8.RuneError || (unsafeRune(r) && !(keepLines && (r == '\n' || r == '\t'))) {
			return false
		}
	}
	return true
}

// unsafeRune reports the runes a terminal or a reader may not show as
// themselves: C0 and C1 controls, DEL, and format characters (Cf: bidi
// overrides and isolates, zero-width characters, the byte order mark), and
// the line and paragraph separators.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// Commands defuses GitHub Actions workflow commands in s, line by line: a
// line whose first non-blank characters are "::" gets a backslash before
// them, and every "##[" becomes `#\#[`. Nothing else changes; s without
// either returns unchanged. Apply it to whole lines of human output (text,
// Markdown, JUnit, diffs, errors), never to the github format's own
// commands.
func Commands(s string) string {
	if !strings.Contains(s, "::") && !strings.Contains(s, "##[") {
		return s
	}
	s = strings.ReplaceAll(s, "##[", `#\#[`)
	if !strings.Contains(s, "::") {
		return s
	}
	// The runner reads lines as .NET's ReadLine does: "\n", "\r\n" and a
	// lone "\r" end a line; it trims leading white space before looking
	// for "::".
	var b strings.Builder
	b.Grow(len(s) + 8)
	start := true
	for i := 0; i < len(s); {
		if start {
			rest := strings.TrimLeftFunc(s[i:], func(r rune) bool { return r != '\n' && r != '\r' && unicode.IsSpace(r) })
			lead := len(s) - i - len(rest)
			b.WriteString(s[i : i+lead])
			i += lead
			if strings.HasPrefix(rest, "::") {
				b.WriteByte('\\')
			}
			start = false
			continue
		}
		c := s[i]
		b.WriteByte(c)
		i++
		if c == '\n' || c == '\r' {
			start = true
		}
	}
	return b.String()
}
