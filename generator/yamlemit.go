package generator

import (
	"bytes"
	"strconv"
	"strings"
)

// emitter writes YAML in go-yaml v2's block style (jsonToYAML), for the
// shapes rendered objects are made of: mappings, sequences, numbers,
// booleans, null, and strings that go-yaml writes plain or, for numbers
// written as strings ("1.29", "333333333333"), in double quotes. Its
// writer reports false as soon as it meets anything else (a string with a
// line break, a quote, a non-ASCII character…), and the caller then uses
// go-yaml itself. go-yaml's encoder, which builds and checks an event per
// value, was a third of a render's time. FuzzMarshal and
// TestMarshalMatchesSigsYAML hold the two to the same bytes.
type emitter struct{ b []byte }

func (e *emitter) indent(n int) {
	for n > len(spaces) {
		e.b = append(e.b, spaces...)
		n -= len(spaces)
	}
	e.b = append(e.b, spaces[:n]...)
}

// spaces is what indent writes from.
const spaces = "                                "

// scalar writes a scalar as go-yaml v2 would, or reports false; value
// says it is not a mapping key (a value may hold spaces, plainSpaced).
func (e *emitter) scalar(v any, value bool) bool {
	switch x := v.(type) {
	case nil:
		e.b = append(e.b, "null"...)
	case bool:
		e.b = strconv.AppendBool(e.b, x)
	case int:
		e.b = strconv.AppendInt(e.b, int64(x), 10)
	case int64:
		e.b = strconv.AppendInt(e.b, x, 10)
	case uint64:
		e.b = strconv.AppendUint(e.b, x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		switch s {
		case "+Inf":
			s = ".inf"
		case "-Inf":
			s = "-.inf"
		case "NaN":
			s = ".nan"
		}
		e.b = append(e.b, s...)
	case string:
		return e.str(x, value)
	default:
		return false
	}
	return true
}

// str is scalar for a string (without making it an interface).
func (e *emitter) str(s string, value bool) bool {
	style := stringStyle(s)
	if style == styleOther && value && e.plainSpaced(s) {
		style = stylePlain
	}
	switch style {
	case stylePlain:
		e.b = append(e.b, s...)
	case styleQuoted:
		e.b = append(e.b, '"')
		e.b = append(e.b, s...)
		e.b = append(e.b, '"')
	default:
		return false
	}
	return true
}

// literalStyle reports whether go-yaml v2 writes s as a literal block
// scalar ("|") that literal reproduces: lines of printable ASCII, the
// last one ended by a single line break, none empty, none starting or
// ending with a space, and no document marker at the start. Anything else
// is left to go-yaml.
func literalStyle(s string) bool {
	if len(s) < 2 || s[len(s)-1] != '\n' || s[len(s)-2] == '\n' || s[0] == ' ' ||
		strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	prev := byte('\n')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n':
			if prev == '\n' || prev == ' ' {
				return false
			}
		case c < 0x20 || c > 0x7e:
			return false
		}
		prev = c
	}
	return true
}

// literal writes s, for which literalStyle holds, as a literal block
// scalar whose lines start at column indent.
func (e *emitter) literal(s string, indent int) {
	e.b = append(e.b, " |\n"...)
	for line := range strings.SplitSeq(strings.TrimSuffix(s, "\n"), "\n") {
		e.indent(indent)
		e.b = append(e.b, line...)
		e.b = append(e.b, '\n')
	}
}

// plainSpaced reports whether go-yaml v2 writes s, a value, plain on the
// current line although it holds spaces, as a cron schedule ("0 */6 * * *")
// does: what stringStyle writes plain, with single spaces and '*' between
// its characters, starting with a letter or a digit, no ": " (a mapping
// indicator), and ending before go-yaml's line width (80 columns), where
// it would fold the line at a space.
func (e *emitter) plainSpaced(s string) bool {
	if len(s) < 3 || !strings.Contains(s, " ") || s[len(s)-1] == ' ' {
		return false
	}
	column := len(e.b) - (bytes.LastIndexByte(e.b, '\n') + 1)
	if column+len(s) > 80 {
		return false
	}
	switch c := s[0]; {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
	default:
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' && (s[i-1] == ' ' || s[i-1] == ':') {
			return false
		}
	}
	// the rest as stringStyle judges it, spaces and stars read as letters
	// (a word with a space is no number, boolean or null to go-yaml)
	word := strings.Map(func(r rune) rune {
		if r == ' ' || r == '*' {
			return 'a'
		}
		return r
	}, s)
	return stringStyle(word) == stylePlain
}

type scalarStyle int

const (
	styleOther  scalarStyle = iota // leave it to go-yaml
	stylePlain                     // as it is
	styleQuoted                    // in double quotes, no escapes needed
)

// resolvesOther reports whether go-yaml v2 reads s, starting with a
// letter or '.', as something other than a string (resolve.go), and
// therefore quotes it: a switch, cheaper than the map it was, for a
// question stringStyle asks of most names, labels and keys.
func resolvesOther(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES",
		"n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
		"null", "Null", "NULL",
		".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
		return true
	}
	return false
}

// notFloatByte reports whether r is outside yamlStyleFloat's alphabet (a
// string with one needs no match).
func notFloatByte(r rune) bool {
	return !(r >= '0' && r <= '9' || r == '.' || r == 'e' || r == 'E' || r == '+' || r == '-')
}

// notIntByte reports whether r can be in no text that strconv.ParseInt
// or ParseUint reads with base 0 and no '_' or '-': a sign, digits,
// and the base prefixes 0x, 0o and 0b with their digits.
func notIntByte(r rune) bool {
	return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' ||
		r == 'x' || r == 'X' || r == 'o' || r == 'O' || r == '+')
}

// yamlStyleFloat is go-yaml v2's (resolve.go).
var yamlStyleFloat = lazyRE(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// stringStyle says how go-yaml v2 writes s, for the strings it is sure
// of: ASCII letters, digits and _ . / @ + = - : (a colon not last),
// starting with a letter, '_', '/' or '.' (plain unless the word means a
// boolean, null or a float), or with a digit (quoted when go-yaml would
// read it as a number, plain otherwise; no '-', '_' or ':', which could
// make a date, a number with separators or a sexagesimal one).
func stringStyle(s string) scalarStyle {
	if s == "" || s[len(s)-1] == ':' {
		return styleOther
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_', c == '.', c == '/', c == '@', c == '+', c == '=', c == '-', c == ':':
		case c == ',' && i > 0: // plain in block context (policy families: "common,eks")
		default:
			return styleOther
		}
	}
	switch c := s[0]; {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		if resolvesOther(s) {
			return styleQuoted
		}
		return stylePlain
	case c == '_', c == '/':
		return stylePlain
	case c == '.':
		// "..." ends a document; go-yaml reads .inf and .nan, and .5 or
		// .5e3, as floats
		if strings.HasPrefix(s, "..") {
			return styleOther
		}
		if resolvesOther(s) {
			return styleQuoted
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return styleQuoted
		}
		return stylePlain
	case c >= '0' && c <= '9':
		if strings.ContainsAny(s, "-_:,") {
			return styleOther
		}
		// (strconv's errors are allocated: most such strings, "10m0s",
		// hold a byte no integer has)
		if !strings.ContainsFunc(s, notIntByte) {
			if _, err := strconv.ParseInt(s, 0, 64); err == nil {
				return styleQuoted
			}
			if _, err := strconv.ParseUint(s, 0, 64); err == nil {
				return styleQuoted
			}
		}
		if !strings.ContainsFunc(s, notFloatByte) && yamlStyleFloat.MatchString(s) {
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				return styleQuoted
			}
		}
		if strings.HasPrefix(s, "0b") {
			return styleOther
		}
		if yaml12Number(s) {
			return styleOther // quoter's
		}
		return stylePlain
	}
	return styleOther
}
