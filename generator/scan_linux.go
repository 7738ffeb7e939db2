//go:build linux

package generator

import (
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawRoot is the output root's own folder, from which the planner's scan
// opens each environment folder with openat(2) on Linux (scanEnvFast).
// Listing a folder of an os.Root cost an lstat(2) of every entry (os
// reads a Root's entries' types that way, whatever the listing says) and
// eight calls for each folder opened (os.Root's walk, an os.File's poller
// registration and modes); the listing's own types (d_type) say what
// scan needs, and a file is stat'ed only when Sync must confirm that
// settle's file is still there (settledAt). With a check's known sums no
// file is stat'ed at all.
type rawRoot struct {
	f  *os.File
	fd int
}

// openRawRoot returns the rawRoot of root, or nil when root is nil or
// its folder does not open (scan then takes os.Root's way).
func openRawRoot(root *os.Root) *rawRoot {
	if root == nil {
		return nil
	}
	f, err := root.Open(".")
	if err != nil {
		return nil
	}
	return &rawRoot{f: f, fd: int(f.Fd())} // (Fd: blocking mode, which a folder ignores)
}

func (r *rawRoot) close() {
	if r != nil {
		_ = r.f.Close()
	}
}

// rawEntry is one entry of a folder listing.
type rawEntry struct {
	name string
	kind dirKind
}

var (
	direntReclen = unsafe.Offsetof(unix.Dirent{}.Reclen)
	direntType   = unsafe.Offsetof(unix.Dirent{}.Type)
	direntName   = unsafe.Offsetof(unix.Dirent{}.Name)
)

// listDirAt lists folder fd (without . and ..) in name order, as
// fs.ReadDir does, each entry with the kind its listing gives (an
// fstatat(2) when the file system gives none); buf is the listing's
// buffer.
func listDirAt(fd int, buf []byte) ([]rawEntry, error) {
	var ents []rawEntry
	for {
		n, err := retryEINTR(func() (int, error) { return unix.ReadDirent(fd, buf) })
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			break
		}
		for b := buf[:n]; len(b) > 0; {
			if uintptr(len(b)) < direntName {
				return nil, unix.EIO
			}
			reclen := int(binary.NativeEndian.Uint16(b[direntReclen:]))
			if reclen <= int(direntName) || reclen > len(b) {
				return nil, unix.EIO
			}
			name := b[direntName:reclen]
			if i := slices.Index(name, 0); i >= 0 {
				name = name[:i]
			}
			typ := b[direntType]
			b = b[reclen:]
			if s := string(name); s != "." && s != ".." {
				kind, err := direntKind(fd, s, typ)
				if err != nil {
					return nil, err
				}
				ents = append(ents, rawEntry{name: s, kind: kind})
			}
		}
	}
	slices.SortFunc(ents, func(a, b rawEntry) int { return strings.Compare(a.name, b.name) })
	return ents, nil
}

// direntKind is the kind of entry name of folder fd whose listing gave
// type typ.
func direntKind(fd int, name string, typ byte) (dirKind, error) {
	if typ == unix.DT_UNKNOWN {
		var st unix.Stat_t
		if _, err := retryEINTR(func() (int, error) { return 0, unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
			return missing, err
		}
		typ = byte((st.Mode & unix.S_IFMT) >> 12) // the listing's type of that mode (IFTODT)
	}
	switch typ {
	case unix.DT_DIR:
		return isDir, nil
	case unix.DT_LNK:
		return isLink, nil
	case unix.DT_REG:
		return isFile, nil
	}
	return isOther, nil
}

// scanEnvFast is scanEnv with raw system calls: handled is false when the
// environment folder does not open as a folder (missing, a link, a
// file…), which scanEnv then classifies as before.
func (p *planner) scanEnvFast(env string, out *scanned) (handled bool, err error) {
	if p.raw == nil {
		return false, nil
	}
	fd, err := openDirAt(p.raw.fd, env)
	if err != nil {
		return false, nil
	}
	defer func() { _ = unix.Close(fd) }()
	out.kinds = append(out.kinds, entryKind{env, isDir})
	return true, p.scanDirFast(fd, env, 0, out, make([]byte, 8192))
}

// scanDirFast is scanDir on folder fd.
func (p *planner) scanDirFast(fd int, dir string, depth int, out *scanned, buf []byte) error {
	ents, err := listDirAt(fd, buf)
	if err != nil {
		return fmt.Errorf("%s: %w", p.display(dir), err)
	}
	out.listed = append(out.listed, dir)
	for _, e := range ents {
		rel := dir + "/" + e.name
		out.kinds = append(out.kinds, entryKind{rel, e.kind})
		switch {
		case strings.Contains(e.name, tmpMarker):
			out.stale = append(out.stale, rel)
		case e.kind == isDir && depth < 1:
			sub, err := openDirAt(fd, e.name)
			if err != nil {
				return fmt.Errorf("%s: %w", p.display(rel), err)
			}
			err = p.scanDirFast(sub, rel, depth+1, out, buf)
			_ = unix.Close(sub)
			if err != nil {
				return err
			}
		case e.kind == isFile && strings.HasSuffix(e.name, ".yaml"):
			if p.unchanged(rel) || p.settledAt(fd, e.name, rel) {
				out.same = append(out.same, rel) // (generated, and never deleted: it renders there)
				continue
			}
			data, err := readFileAt(fd, e.name)
			if err != nil {
				return fmt.Errorf("%s: %w", p.display(rel), err)
			}
			p.sawFile(out, rel, data)
		}
	}
	return nil
}

// settledAt is settled for entry name of folder fd.
func (p *planner) settledAt(fd int, name, rel string) bool {
	f, ok := p.wantFile[rel]
	if !ok || f.onDisk == nil {
		return false
	}
	var st unix.Stat_t
	_, err := retryEINTR(func() (int, error) { return 0, unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) })
	return err == nil && f.onDisk.sameStat(&st)
}

// readFileAt reads file name of folder fd, never through a link, nor
// blocking on what is not a regular file.
func readFileAt(dirfd int, name string) ([]byte, error) {
	fd, err := retryEINTR(func() (int, error) {
		return unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, err
	}
	defer func() { _ = unix.Close(fd) }()
	var st unix.Stat_t
	if _, err := retryEINTR(func() (int, error) { return 0, unix.Fstat(fd, &st) }); err != nil {
		return nil, err
	}
	data := make([]byte, 0, max(int(st.Size), 0)+1)
	for {
		if len(data) == cap(data) {
			data = slices.Grow(data, 4096)
		}
		n, err := retryEINTR(func() (int, error) { return unix.Read(fd, data[len(data):cap(data)]) })
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
	}
}
