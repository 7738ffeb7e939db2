package sharedfiles

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Entry is one pinned file.
type Entry struct {
	// SHA256 is the file's checksum, lower-case hex.
	SHA256 string
	// Path is the file's slash-separated path under the shared folder.
	Path string
	// URL is where the file comes from; see Block.
	URL string
	// Block, when not negative, is the index (from 0) of the fenced yaml
	// block of the Markdown page at URL that is the file's content.
	Block int
	// Line is the entry's line in the lock file.
	Line int
}

const blockSuffix = "#yaml-block="

// Parse reads a lock file; name is used in errors.
func Parse(name string, r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want <sha256> <path> <url>, got %d fields", name, n, len(f))
		}
		e := Entry{SHA256: f[0], Path: f[1], URL: f[2], Block: -1, Line: n}
		if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("%s:%d: %q is not a SHA-256 in hex", name, n, e.SHA256)
		}
		if e.Path != path.Clean(e.Path) || path.IsAbs(e.Path) || e.Path == ".." || strings.HasPrefix(e.Path, "../") {
			return nil, fmt.Errorf("%s:%d: path %q must be relative and clean, inside the shared folder", name, n, e.Path)
		}
		if !strings.HasPrefix(e.URL, "https://") {
			return nil, fmt.Errorf("%s:%d: URL %q must be https", name, n, e.URL)
		}
		if u, b, ok := strings.Cut(e.URL, blockSuffix); ok {
			i, err := strconv.Atoi(b)
			if err != nil || i < 0 {
				return nil, fmt.Errorf("%s:%d: %q: the block index must be a number from 0", name, n, e.URL)
			}
			e.URL, e.Block = u, i
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// Sum is the lower-case hex SHA-256 of data.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// YAMLBlock returns the content of the i-th (from 0) fenced block opened
// by a line starting with ```yaml or ```yml (after indentation) in a
// Markdown page: the lines between the fences, each ending in a newline.
func YAMLBlock(md []byte, i int) ([]byte, error) {
	var cur *bytes.Buffer
	found := 0
	for _, line := range strings.Split(string(md), "\n") {
		s := strings.TrimSpace(line)
		if cur == nil {
			if strings.HasPrefix(s, "```yaml") || strings.HasPrefix(s, "```yml") {
				cur = &bytes.Buffer{}
			}
			continue
		}
		if strings.HasPrefix(s, "```") {
			if found == i {
				return cur.Bytes(), nil
			}
			found++
			cur = nil
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	return nil, fmt.Errorf("no yaml block %d (the page has %d)", i, found)
}

// Fetch downloads every entry into dir, checks its checksum and writes it
// (through a temporary file and a rename, so a file is whole or absent).
// A file already present with the right checksum is kept.
func Fetch(ctx context.Context, client *http.Client, dir string, entries []Entry) error {
	pages := map[string][]byte{}
	for _, e := range entries {
		dst := filepath.Join(dir, filepath.FromSlash(e.Path))
		if have, err := os.ReadFile(dst); err == nil && Sum(have) == e.SHA256 {
			continue
		}
		body, ok := pages[e.URL]
		if !ok {
			var err error
			if body, err = get(ctx, client, e.URL); err != nil {
				return fmt.Errorf("%s: %w", e.Path, err)
			}
			pages[e.URL] = body
		}
		data := body
		if e.Block >= 0 {
			var err error
			if data, err = YAMLBlock(body, e.Block); err != nil {
				return fmt.Errorf("%s: %s: %w", e.Path, e.URL, err)
			}
		}
		if got := Sum(data); got != e.SHA256 {
			return fmt.Errorf("%s: %s has SHA-256 %s, the lock pins %s", e.Path, e.URL, got, e.SHA256)
		}
		if err := writeFile(dst, data); err != nil {
			return err
		}
	}
	return nil
}

func get(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	// the largest pinned file is a CRD of under 1 MiB
	const limit = 16 << 20
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if len(data) > limit {
		return nil, fmt.Errorf("GET %s: larger than %d bytes", url, limit)
	}
	return data, nil
}

func writeFile(dst string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".fetch-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name()) // best effort: the error returned says what failed
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		_ = os.Remove(tmp.Name()) // best effort: the error returned says what failed
		return err
	}
	return nil
}
