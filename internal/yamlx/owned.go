package yamlx

import "unsafe"

// ParseOwned is ParseWith for data that the caller gives away: the nodes'
// strings are views of data itself instead of a copy of it (a file read
// for parsing was allocated twice, as bytes and as the parser's text), so
// data must never be changed afterwards, by anyone. The parse is the
// same as ParseWith's (TestParseOwnedIsParseWith).
func ParseOwned(file string, data []byte, lim Limits, arena *Arena) ([]Document, error) {
	return parseWith(file, data, lim, arena, true)
}

// textOf returns data as a string: a copy, or data itself when owned.
func textOf(data []byte, owned bool) string {
	if owned && len(data) > 0 {
		return unsafe.String(unsafe.SliceData(data), len(data))
	}
	return string(data)
}
