//go:build !linux && !darwin

package yamlx

import "os"

// osFile is an *os.File with the Stat ReadFile needs (see readfile_unix.go).
type osFile struct{ *os.File }

func openFile(path string) (osFile, error) {
	f, err := os.Open(path)
	return osFile{f}, err
}

// Stat returns the file's size and whether it is a folder.
func (f osFile) Stat() (size int64, isDir bool, err error) {
	st, err := f.File.Stat()
	if err != nil {
		return 0, false, err
	}
	return st.Size(), st.IsDir(), nil
}
