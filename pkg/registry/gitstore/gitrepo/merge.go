package gitrepo

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"errors"
	"io"
	"os"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"k8s.io/klog/v2"
)

// One pack per commit would leave thousands of packs, which slows every
// reader. Packs are merged in levels, as in a log-structured merge tree:
// recentPacks packs of one commit each become one pack of level 1, and
// mergeFanIn packs of a level one of the next, so each object is copied
// once per level and there are at most recentPacks + (mergeFanIn-1) per
// level: under git's gc.autoPackLimit of 50 up to a million commits, so a
// clone of the repository does not start a gc of its own.
const (
	recentPacks = 20
	mergeFanIn  = 4
)

// runMerger merges packs when UpdateRefs asks, off the writers' path, until
// the repository is closed.
func (r *Repo) runMerger() {
	defer close(r.mergerDone)
	for range r.mergeRequests {
		// The refs have moved; failing to merge packs only leaves more of them.
		if err := r.mergePacks(); err != nil {
			klog.ErrorS(err, "Merging packs failed; will retry after the next commit", "repository", r.path)
		}
	}
}

// requestMerge wakes the merger unless it has a request pending.
func (r *Repo) requestMerge() {
	select {
	case r.mergeRequests <- struct{}{}:
	default:
	}
}

// mergePacks merges the recent packs, and then full levels, when there are
// enough of them. Every merged pack is synced before the packs it replaces
// are removed, so a crash leaves at worst an object in two packs.
func (r *Repo) mergePacks() error {
	r.merging.Lock()
	defer r.merging.Unlock()
	p := r.packs
	p.mu.Lock()
	recent := append([]*appliedPack(nil), p.recent...)
	p.mu.Unlock()
	if len(recent) < recentPacks {
		return nil
	}
	names := make([]plumbing.Hash, len(recent))
	for i, applied := range recent {
		names[i] = applied.name
	}
	name, _, err := r.writeMerged(names, false)
	if err != nil {
		return err
	}
	// The merged pack is synced, so the journal may be emptied before the
	// packs it holds are removed: the journal never names a pack that is
	// gone.
	if err := r.checkpoint(len(recent)); err != nil {
		return err
	}
	r.replacePacks(names, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.recent = p.recent[len(recent):]
		merged := map[*ownPack]bool{}
		for _, applied := range recent {
			for _, own := range applied.parts {
				merged[own] = true
			}
		}
		for h, loc := range p.where {
			if merged[loc.pack] {
				delete(p.where, h)
			}
		}
		p.levels = addToLevel(p.levels, 0, name)
	})

	for level := 0; ; level++ {
		p.mu.Lock()
		if level >= len(p.levels) || len(p.levels[level]) < mergeFanIn {
			p.mu.Unlock()
			return nil
		}
		full := append([]plumbing.Hash(nil), p.levels[level]...)
		p.mu.Unlock()
		merged, _, err := r.writeMerged(full, false)
		if err != nil {
			return err
		}
		r.replacePacks(full, func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.levels[level] = p.levels[level][len(full):]
			p.levels = addToLevel(p.levels, level+1, merged)
		})
	}
}

// mergePacksOfEarlierRuns merges, once there are recentPacks packs, the
// smallest of them: those earlier runs left unmerged. The largest half of
// recentPacks, the big packs of the levels, stay as they are, so opening a
// large repository copies little. Packs holding deltas (written by git) are
// left alone.
func (r *Repo) mergePacksOfEarlierRuns() error {
	packs, err := r.storage.ObjectStorage.ObjectPacks()
	if err != nil || len(packs) < recentPacks {
		return err
	}
	size := map[plumbing.Hash]int64{}
	for _, name := range packs {
		info, err := os.Stat(r.packBase(name) + ".pack")
		if err != nil {
			return err
		}
		size[name] = info.Size()
	}
	sort.Slice(packs, func(i, j int) bool { return size[packs[i]] < size[packs[j]] })
	_, merged, err := r.writeMerged(packs[:len(packs)-recentPacks/2], true)
	if err != nil {
		return err
	}
	r.replacePacks(merged, func() {})
	return nil
}

// checkpoint empties the journal once the first merged recent packs are
// durable in a merged pack.
func (r *Repo) checkpoint(merged int) error {
	r.applying.Lock()
	defer r.applying.Unlock()
	r.updating.Lock()
	defer r.updating.Unlock()
	return r.checkpointHeld(merged)
}

// checkpointHeld is checkpoint for a caller that holds applying and
// updating. What is journaled and not in a merged pack is written and
// synced first, so no journaled pack is left undurable.
func (r *Repo) checkpointHeld(merged int) error {
	r.finishApplying(nil)
	if r.failed != nil {
		return r.failed
	}
	var files []string
	r.packs.mu.Lock()
	for _, applied := range r.packs.recent[merged:] {
		files = append(files, r.packFiles(applied.name)...)
	}
	r.packs.mu.Unlock()
	return r.journal.checkpoint(files)
}

func addToLevel(levels [][]plumbing.Hash, level int, name plumbing.Hash) [][]plumbing.Hash {
	for len(levels) <= level {
		levels = append(levels, nil)
	}
	levels[level] = append(levels[level], name)
	return levels
}

// replacePacks removes packs now held by a merged one, forgets them, and has
// go-git read the pack indexes again, all with the repository locked, so no
// reader finds an object in neither place.
func (r *Repo) replacePacks(names []plumbing.Hash, forget func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	forget()
	for _, name := range names {
		base := r.packBase(name)
		// The pack first, the reverse of writePack.
		os.Remove(base + ".pack")
		os.Remove(base + ".idx")
	}
	r.reindex()
}

// writeMerged writes one pack holding every object of the given packs that
// have no deltas (see joinPacks), syncs it, and returns it and the packs it
// holds. Only packs this process did not write, as told by mayHoldDeltas,
// are read to look for deltas: the merges of a busy repository would
// otherwise read every pack twice.
func (r *Repo) writeMerged(names []plumbing.Hash, mayHoldDeltas bool) (plumbing.Hash, []plumbing.Hash, error) {
	var parts []packPart
	var merged []plumbing.Hash
	for _, name := range names {
		contents, closeParts, err := r.packContents(name)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		defer closeParts()
		if mayHoldDeltas {
			delta, err := hasDeltas(contents)
			if err != nil {
				return plumbing.ZeroHash, nil, err
			}
			if delta {
				continue
			}
		}
		merged = append(merged, name)
		parts = append(parts, contents...)
	}
	name, err := r.writeJoined(parts)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	return name, merged, syncAll(r.packFiles(name))
}

// packContents returns the parts of a pack, with their entries in the order
// stored: those of a recent pack from memory, others from the pack's
// files, open until closeParts.
func (r *Repo) packContents(name plumbing.Hash) (parts []packPart, closeParts func(), err error) {
	r.packs.mu.Lock()
	for _, applied := range r.packs.recent {
		if applied.name == name {
			r.packs.mu.Unlock()
			for _, own := range applied.parts {
				parts = append(parts, own.part())
			}
			return parts, func() {}, nil
		}
	}
	r.packs.mu.Unlock()
	base := r.packBase(name)
	f, err := os.Open(base + ".pack")
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	var entries []rawEntry
	if err == nil {
		entries, err = packEntries(base+".idx", info.Size())
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return []packPart{{f, entries}}, func() { f.Close() }, nil
}

// hasDeltas tells whether any entry of parts is a delta, reading each part
// in order through a buffer rather than once per entry.
func hasDeltas(parts []packPart) (bool, error) {
	for _, part := range parts {
		if len(part.entries) == 0 {
			continue
		}
		first := part.entries[0].start
		rd := bufio.NewReaderSize(io.NewSectionReader(part.data, first, 1<<62), 64<<10)
		at := first
		for _, e := range part.entries {
			if _, err := rd.Discard(int(e.start - at)); err != nil {
				return false, err
			}
			b, err := rd.ReadByte()
			if err != nil {
				return false, err
			}
			at = e.start + 1
			if isDelta(b) {
				return true, nil
			}
		}
	}
	return false, nil
}

// isDelta tells from the first byte of a pack entry whether it is a delta.
func isDelta(first byte) bool {
	t := plumbing.ObjectType(first >> 4 & 0x07)
	return t == plumbing.OFSDeltaObject || t == plumbing.REFDeltaObject
}

type rawEntry struct {
	hash       plumbing.Hash
	crc        uint32
	start, end int64
}

// packEntries lists a pack's entries in the order they are stored, with the
// byte range of each, from its index.
func packEntries(idxPath string, packSize int64) ([]rawEntry, error) {
	data, err := os.ReadFile(idxPath)
	if err != nil {
		return nil, err
	}
	index := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(bytes.NewReader(data)).Decode(index); err != nil {
		return nil, err
	}
	iter, err := index.Entries()
	if err != nil {
		return nil, err
	}
	defer iter.Close()
	var out []rawEntry
	for {
		e, err := iter.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rawEntry{hash: e.Hash, crc: e.CRC32, start: int64(e.Offset)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	for i := range out {
		out[i].end = packSize - sha1.Size
		if i+1 < len(out) {
			out[i].end = out[i+1].start
		}
	}
	return out, nil
}
