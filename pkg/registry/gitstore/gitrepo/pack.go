package gitrepo

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/klauspost/compress/zlib"
)

// Objects are written as one pack per commit rather than as loose files: a
// group commit of many writes then costs two files to create and sync
// instead of one per object. go-git only learns of new packs by re-reading
// every index, so the packs written since the last merge are read here, and
// merge.go folds them into larger packs that go-git indexes once.

// packEntry is an object waiting for the next pack, compressed as a pack
// entry's body.
type packEntry struct {
	typ  plumbing.ObjectType
	size int64
	body []byte
}

// ownPack is a pack this process journaled since the last merge.
type ownPack struct {
	writtenPack            // read from memory until merged
	entries     []rawEntry // in the order stored, for the merger
}

// part is own as a part of a pack to join.
func (own *ownPack) part() packPart {
	return packPart{bytes.NewReader(own.pack), own.entries}
}

// appliedPack is a pack file the applier wrote since the last merge, which
// joins journaled packs: their objects are still read, and merged, from
// those in memory.
type appliedPack struct {
	name  plumbing.Hash
	parts []*ownPack
}

// location is where an object of an ownPack starts.
type location struct {
	pack   *ownPack
	offset int64
}

// packs holds the objects go-git does not know yet: pending ones, not yet on
// disk, and those in recent packs.
type packs struct {
	mu      sync.Mutex
	pending map[plumbing.Hash]packEntry
	order   []plumbing.Hash // pending, in the order stored
	recent  []*appliedPack
	where   map[plumbing.Hash]location
	levels  [][]plumbing.Hash // merged packs by level; see merge.go
}

func newPacks() *packs {
	return &packs{pending: map[plumbing.Hash]packEntry{}, where: map[plumbing.Hash]location{}}
}

// add queues an object for the next pack, unless it is queued or packed
// lately already.
func (p *packs) add(h plumbing.Hash, e packEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.pending[h]; ok {
		return
	}
	if _, ok := p.where[h]; ok {
		return
	}
	p.pending[h] = e
	p.order = append(p.order, h)
}

// Pools of zlib writers, one per level: a new compressor allocates about a
// megabyte.
var (
	compressors = newZlibWriters(zlib.BestSpeed)
	// Trees are stored uncompressed. A folder's tree is written again on
	// every commit to it and is mostly hashes: deflating a 1000-entry tree
	// saved a quarter of its bytes at ten times the cost of storing it, on
	// the one goroutine that makes commits.
	storers = newZlibWriters(zlib.NoCompression)
)

func newZlibWriters(level int) *sync.Pool {
	return &sync.Pool{New: func() any {
		zw, _ := zlib.NewWriterLevel(io.Discard, level)
		return zw
	}}
}

// deflate makes data a pack entry's body with a writer of pool. It touches
// no shared state, so the writers of blobs run it in parallel.
func deflate(data []byte, pool *sync.Pool) []byte {
	var buf bytes.Buffer
	buf.Grow(len(data) + 64)
	zw := pool.Get().(*zlib.Writer)
	defer pool.Put(zw)
	zw.Reset(&buf)
	zw.Write(data) // a bytes.Buffer does not fail
	zw.Close()
	return buf.Bytes()
}

// entryHeader is a pack entry's type and size, as git encodes them: three
// bits of type and the size in little-endian groups of seven bits.
func entryHeader(t plumbing.ObjectType, size int64) []byte {
	b := byte(t)<<4 | byte(size&0x0f)
	size >>= 4
	var out []byte
	for size > 0 {
		out = append(out, b|0x80)
		b = byte(size & 0x7f)
		size >>= 7
	}
	return append(out, b)
}

// writtenPack is a pack as written to disk: its name, bytes and index.
type writtenPack struct {
	name      plumbing.Hash
	pack, idx []byte
}

// packPending makes the pending objects into a pack, in memory, or returns
// nil when none are pending. They stay pending until serveFrom.
func (r *Repo) packPending() (*ownPack, error) {
	p := r.packs
	p.mu.Lock()
	order := p.order
	entries := make([]packEntry, len(order))
	size := 0
	for i, h := range order {
		entries[i] = p.pending[h]
		size += 10 + len(entries[i].body)
	}
	p.mu.Unlock()
	if len(order) == 0 {
		return nil, nil
	}
	b := newPackBuilder(size)
	for i, e := range entries {
		header := entryHeader(e.typ, e.size)
		crc := crc32.Update(crc32.ChecksumIEEE(header), crc32.IEEETable, e.body)
		b.add(order[i], crc, header, e.body)
	}
	return b.finish()
}

// packBuilder makes a pack, in memory, of undeltified entries.
type packBuilder struct {
	pack    *bytes.Buffer
	idx     *idxfile.Writer
	entries []rawEntry
	seen    map[plumbing.Hash]bool
}

// newPackBuilder starts a pack of about size bytes of entries.
func newPackBuilder(size int) *packBuilder {
	b := &packBuilder{pack: bytes.NewBuffer(make([]byte, 0, 12+size+sha1.Size)), idx: &idxfile.Writer{}, seen: map[plumbing.Hash]bool{}}
	b.pack.Write(make([]byte, 12)) // the header, once the count is known
	b.idx.OnHeader(0)              // the count is only a capacity
	return b
}

// add appends the entry whose bytes (its header and compressed body) are
// the concatenation of raw, unless the pack has the object already.
func (b *packBuilder) add(h plumbing.Hash, crc uint32, raw ...[]byte) {
	if b.seen[h] {
		return
	}
	b.seen[h] = true
	start := int64(b.pack.Len())
	for _, part := range raw {
		b.pack.Write(part)
	}
	b.idx.Add(h, uint64(start), crc)
	b.entries = append(b.entries, rawEntry{hash: h, crc: crc, start: start, end: int64(b.pack.Len())})
}

// finish writes the pack's header and checksum and makes its index.
func (b *packBuilder) finish() (*ownPack, error) {
	header := b.pack.Bytes()[:12]
	copy(header, "PACK")
	binary.BigEndian.PutUint32(header[4:], 2)
	binary.BigEndian.PutUint32(header[8:], uint32(len(b.entries)))
	sum := sha1.Sum(b.pack.Bytes())
	b.pack.Write(sum[:])
	name := plumbing.Hash(sum)
	idx, err := encodeIndex(b.idx, name)
	if err != nil {
		return nil, err
	}
	return &ownPack{writtenPack: writtenPack{name: name, pack: b.pack.Bytes(), idx: idx}, entries: b.entries}, nil
}

// packPart is a pack without deltas and its entries.
type packPart struct {
	data    io.ReaderAt
	entries []rawEntry
}

// joinPacks writes to w one pack of the entries of parts, each object once,
// and returns its name and index. It streams the entries through a
// small buffer: merged packs grow large, and a buffer of their size would be
// new memory, and so page faults, on every merge. Entries are copied as
// they are: a delta's offset to its base would not survive the copy, so
// parts hold none.
func joinPacks(w io.Writer, parts []packPart) (plumbing.Hash, []byte, error) {
	// A run is entries that lie next to each other in one part and in the
	// new pack, copied at once.
	type run struct {
		data       io.ReaderAt
		start, end int64
	}
	var runs []run
	count := 0
	idx := &idxfile.Writer{}
	idx.OnHeader(0) // the count is only a capacity
	seen := map[plumbing.Hash]bool{}
	offset := int64(12)
	for _, part := range parts {
		for _, e := range part.entries {
			if seen[e.hash] {
				continue
			}
			seen[e.hash] = true
			idx.Add(e.hash, uint64(offset), e.crc)
			offset += e.end - e.start
			count++
			if n := len(runs); n > 0 && runs[n-1].data == part.data && runs[n-1].end == e.start {
				runs[n-1].end = e.end
			} else {
				runs = append(runs, run{part.data, e.start, e.end})
			}
		}
	}
	sum := sha1.New()
	out := io.MultiWriter(w, sum)
	header := make([]byte, 12)
	copy(header, "PACK")
	binary.BigEndian.PutUint32(header[4:], 2)
	binary.BigEndian.PutUint32(header[8:], uint32(count))
	if _, err := out.Write(header); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	buf := make([]byte, 64<<10)
	for _, r := range runs {
		if _, err := io.CopyBuffer(out, io.NewSectionReader(r.data, r.start, r.end-r.start), buf); err != nil {
			return plumbing.ZeroHash, nil, err
		}
	}
	name := plumbing.Hash(sum.Sum(nil))
	if _, err := w.Write(name[:]); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	index, err := encodeIndex(idx, name)
	return name, index, err
}

// serveFrom serves the objects of own, once journaled, from it rather than
// as pending. Until then a failed update leaves them pending for the next.
// Only packPending takes from the front of the queue, under updating.
func (p *packs) serveFrom(own *ownPack) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range own.entries {
		p.where[e.hash] = location{pack: own, offset: e.start}
		delete(p.pending, e.hash)
	}
	p.order = p.order[len(own.entries):]
}

// writeApplied writes journaled packs as one pack file, renamed into place
// whole, so git only ever sees complete files. It is not synced: the
// journal holds its objects. Only then may the merger take it.
func (r *Repo) writeApplied(owns []*ownPack) error {
	parts := make([]packPart, len(owns))
	for i, own := range owns {
		parts[i] = own.part()
	}
	name, err := r.writeJoined(parts)
	if err != nil {
		return err
	}
	r.packs.mu.Lock()
	r.packs.recent = append(r.packs.recent, &appliedPack{name: name, parts: owns})
	r.packs.mu.Unlock()
	return nil
}

// writeJoined writes one pack of the entries of parts (see joinPacks) and
// its index, each renamed into place whole, index first as in writePack,
// and returns the pack's name. It does not sync them.
func (r *Repo) writeJoined(parts []packPart) (plumbing.Hash, error) {
	dir := filepath.Join(r.path, "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return plumbing.ZeroHash, err
	}
	tmp, err := os.CreateTemp(dir, "tmp_")
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	w := bufio.NewWriterSize(tmp, 64<<10)
	name, idx, err := joinPacks(w, parts)
	if err == nil {
		err = w.Flush()
	}
	if err := closeReadOnly(tmp, err); err != nil {
		return plumbing.ZeroHash, err
	}
	base := r.packBase(name)
	if err := writeFileAtomically(base+".idx", idx); err != nil {
		return plumbing.ZeroHash, err
	}
	return name, os.Rename(tmp.Name(), base+".pack")
}

// packFiles are a pack, its index and their folder.
func (r *Repo) packFiles(name plumbing.Hash) []string {
	base := r.packBase(name)
	return []string{base + ".pack", base + ".idx", filepath.Dir(base)}
}

func (r *Repo) packBase(name plumbing.Hash) string {
	return filepath.Join(r.path, "objects", "pack", "pack-"+name.String())
}

// encodeIndex finishes the index idx observed being written for the pack
// called name.
func encodeIndex(idx *idxfile.Writer, name plumbing.Hash) ([]byte, error) {
	if err := idx.OnFooter(name); err != nil {
		return nil, err
	}
	index, err := idx.Index()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if _, err := idxfile.NewEncoder(&out).Encode(index); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// writePack stores a pack and its index.
func (r *Repo) writePack(w writtenPack) error {
	base := r.packBase(w.name)
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return err
	}
	// The index before its pack: git skips an index without a pack, while
	// go-git, which lists packs, fails on a pack without an index.
	if err := writeFileAtomically(base+".idx", w.idx); err != nil {
		return err
	}
	return writeFileAtomically(base+".pack", w.pack)
}

func writeFileAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "tmp_")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(data)
	if err := closeReadOnly(tmp, err); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// closeReadOnly closes a temporary file that writing left with err, read
// only as git keeps its objects, ready to be renamed into place.
func closeReadOnly(tmp *os.File, err error) error {
	if err == nil {
		err = tmp.Chmod(0o444)
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	return err
}

// lookup returns an object that go-git does not know yet, or nil.
func (p *packs) lookup(h plumbing.Hash) (plumbing.EncodedObject, error) {
	p.mu.Lock()
	e, pending := p.pending[h]
	loc, packed := p.where[h]
	p.mu.Unlock()
	switch {
	case pending:
		return inflate(e.typ, e.size, bytes.NewReader(e.body))
	case packed:
		return readEntry(bytes.NewReader(loc.pack.pack), loc.offset)
	}
	return nil, nil
}

// readEntry reads the undeltified object at offset of a pack.
func readEntry(f io.ReaderAt, offset int64) (plumbing.EncodedObject, error) {
	var head [16]byte
	n, err := f.ReadAt(head[:], offset)
	if n == 0 && err != nil {
		return nil, err
	}
	t := plumbing.ObjectType(head[0] >> 4 & 0x07)
	size := int64(head[0] & 0x0f)
	shift, i := 4, 0
	for head[i]&0x80 != 0 {
		i++
		if i >= n {
			return nil, fmt.Errorf("pack entry at %d: header too long", offset)
		}
		size |= int64(head[i]&0x7f) << shift
		shift += 7
	}
	return inflate(t, size, io.NewSectionReader(f, offset+int64(i)+1, 1<<62))
}

func inflate(t plumbing.ObjectType, size int64, body io.Reader) (plumbing.EncodedObject, error) {
	zr, err := zlib.NewReader(body)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	obj := &plumbing.MemoryObject{}
	obj.SetType(t)
	obj.SetSize(size)
	if _, err := io.CopyN(obj, zr, size); err != nil {
		return nil, fmt.Errorf("inflating %s: %w", t, err)
	}
	return obj, nil
}

func (p *packs) has(h plumbing.Hash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, pending := p.pending[h]
	_, packed := p.where[h]
	return pending || packed
}
