package generator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// journalName is the file in the output root that records a render in
// progress (see planner.apply). It exists only while a render writes, or
// after a render was interrupted: the next render completes or undoes what
// it records before anything else. Its name is hidden and does not end in
// .yaml, so that no kustomization, validate or check reads it.
const journalName = ".fluxtf-journal"

// journalTmp is the name the journal is written under before it is
// renamed into place: always the same, so that a leftover of a killed run
// is overwritten by the next one, or removed by recoverJournal.
const journalTmp = journalName + ".tmp"

// journalVersion is the format of the journal this fluxtf writes and reads.
const journalVersion = 1

// maxJournalSize bounds the journal read back: a render of 100,000
// environments writes some 60 MiB.
const maxJournalSize = 256 << 20

// journalState says how far an interrupted render got.
type journalState string

const (
	// journalStaging: new files were being written under staging names;
	// nothing of the previous output was touched. Undone (rollback).
	journalStaging journalState = "staging"
	// journalCommitted: every new file was on disk; renaming them into
	// place had begun. Completed (rollForward).
	journalCommitted journalState = "committed"
)

// journal is the record of one render's writes, by slash path from the
// output root.
type journal struct {
	Version int          `json:"version"`
	State   journalState `json:"state"`
	// Suffix ends the staging name of every file written:
	// .<name>.fluxtf-tmp-<suffix> in the file's folder.
	Suffix  string   `json:"suffix"`
	Created []string `json:"created,omitempty"` // folders the render creates, parents first
	Write   []string `json:"write,omitempty"`   // files it writes
	Delete  []string `json:"delete,omitempty"`  // generated files it deletes
}

var suffixRE = lazyRE(`^[0-9a-f]{12}$`)

// check refuses a journal that fluxtf did not write: every path must stay
// inside an environment folder of the output root, and name no hidden
// file, so that completing it can only touch what a render would.
func (j *journal) check() error {
	switch {
	case j.Version != journalVersion:
		return fmt.Errorf("version %d, this fluxtf reads version %d", j.Version, journalVersion)
	case j.State != journalStaging && j.State != journalCommitted:
		return fmt.Errorf("state %q is neither %s nor %s", j.State, journalStaging, journalCommitted)
	case !suffixRE.MatchString(j.Suffix):
		return fmt.Errorf("suffix %q is not one fluxtf makes", j.Suffix)
	}
	for _, list := range [][]string{j.Created, j.Write, j.Delete} {
		for _, p := range list {
			if err := checkJournalPath(p); err != nil {
				return err
			}
		}
	}
	for _, list := range [][]string{j.Write, j.Delete} {
		for _, p := range list {
			if !strings.HasSuffix(p, ".yaml") || !strings.Contains(p, "/") {
				return fmt.Errorf("%q is not a file of an environment folder", p)
			}
		}
	}
	return nil
}

func checkJournalPath(p string) error {
	if !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("%q is not a path inside the output root", p)
	}
	parts := strings.Split(p, "/")
	if CheckEnvName(parts[0]) != nil {
		return fmt.Errorf("%q is not inside an environment folder", p)
	}
	for _, part := range parts {
		if strings.HasPrefix(part, ".") {
			return fmt.Errorf("%q names a hidden file", p)
		}
	}
	return nil
}

// writeJournal writes j atomically: aside, flushed, renamed over the
// journal, flushed again.
func (p *planner) writeJournal(j *journal) error {
	data, err := json.Marshal(j)
	if err != nil {
		return err
	}
	tmp := journalTmp
	fail := func(err error) error {
		_ = p.root.Remove(tmp)
		return fmt.Errorf("cannot write the journal %s: %w; nothing was changed", p.display(journalName), describe(err))
	}
	f, err := p.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := p.root.Rename(tmp, journalName); err != nil {
		return fail(err)
	}
	if err := syncDir(p.root, "."); err != nil {
		return fail(err)
	}
	return nil
}

// removeJournal removes the journal once what it records is done.
func (p *planner) removeJournal() error {
	if err := p.root.Remove(journalName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot remove the journal %s: %w; remove it by hand", p.display(journalName), describe(err))
	}
	return syncDir(p.root, ".")
}

// readJournal returns the journal of an interrupted render, or nil.
func (p *planner) readJournal() (*journal, error) {
	bad := func(why string) error {
		return fmt.Errorf("%s: %s; it is not a journal fluxtf wrote: check the output folder with git status, remove the file and run fluxtf render again",
			p.display(journalName), why)
	}
	st, err := p.root.Lstat(journalName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %w", p.display(journalName), describe(err))
	case !st.Mode().IsRegular():
		return nil, bad("not a regular file")
	case st.Size() > maxJournalSize:
		return nil, bad(fmt.Sprintf("%d bytes, over the %d MiB a journal can be", st.Size(), maxJournalSize>>20))
	}
	data, err := p.root.ReadFile(journalName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.display(journalName), describe(err))
	}
	j := &journal{}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(j); err != nil {
		return nil, bad(err.Error())
	}
	if err := j.check(); err != nil {
		return nil, bad(err.Error())
	}
	return j, nil
}

// recoverJournal completes (committed) or undoes (staging) the render
// an interrupted run left, and says so in a note; "" when there was none.
func (p *planner) recoverJournal() (string, error) {
	_ = p.root.Remove(journalTmp) // a journal being written when a run was killed
	j, err := p.readJournal()
	if err != nil || j == nil {
		return "", err
	}
	var note string
	switch j.State {
	case journalCommitted:
		if err := p.rollForward(j); err != nil {
			return "", fmt.Errorf("completing the render that was interrupted (journal %s): %w", p.display(journalName), err)
		}
		note = fmt.Sprintf("completed a render of %s that was interrupted (%d files written, %d deleted)", p.outDir, len(j.Write), len(j.Delete))
	default:
		p.rollback(j)
		if err := syncFS(p.root); err != nil {
			return "", fmt.Errorf("undoing the render that was interrupted (journal %s): %w", p.display(journalName), describe(err))
		}
		note = fmt.Sprintf("undid a render of %s that was interrupted before it changed anything", p.outDir)
	}
	if err := p.removeJournal(); err != nil {
		return "", err
	}
	return note, nil
}

// pendingJournal is a note on an interrupted render for a run that does
// not write (check, render --check).
func (p *planner) pendingJournal() string {
	if p.root == nil {
		return ""
	}
	if _, err := p.root.Lstat(journalName); err != nil {
		return ""
	}
	return fmt.Sprintf("a render of %s was interrupted (%s is there): run fluxtf render to complete it", p.outDir, path.Join(p.outDir, journalName))
}
