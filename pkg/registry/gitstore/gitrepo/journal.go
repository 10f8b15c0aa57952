package gitrepo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/sys/unix"
)

// Git's own way to make a ref update durable syncs the new pack, its index,
// the ref lock files and the pack folder, renames the locks and syncs the
// refs' folders: two rounds of fsync over many files. The journal makes a
// commit durable with one fdatasync of one file instead, as etcd's log does.
// UpdateRefs appends a record (the new pack, its index, the ref moves) and
// syncs it before any ref moves; the pack and refs are written as before, but
// synced only at a checkpoint, after the recent packs were merged into a
// synced pack. Open replays what was not checkpointed, which restores anything
// a power loss took from the pack folder or the refs.

// journalFile is the journal's path in the repository; git ignores it.
const journalFile = "gitops-journal"

var (
	journalMagic = []byte("GOJOURN1")
	castagnoli   = crc32.MakeTable(crc32.Castagnoli)
)

// The header is the magic, the generation and their checksum. Every record
// repeats the generation, so records left from before a checkpoint, further
// on in the file, are not replayed.
const journalHeaderSize = 8 + 8 + 4

type journal struct {
	mu         sync.Mutex
	file       *os.File
	generation uint64
	end        int64           // where the next record goes
	allocated  int64           // the file's size, zeros beyond end
	unsynced   map[string]bool // ref files moved since the last checkpoint
}

// journalRecord is one UpdateRefs: the pack it wrote (none when it wrote no
// objects) and the refs it moved.
type journalRecord struct {
	pack    writtenPack
	updates []RefUpdate
}

// openJournal opens the journal of the repository at path, creating it when
// missing, and returns it with the records written since the last
// checkpoint.
func openJournal(path string) (*journal, []journalRecord, error) {
	name := filepath.Join(path, journalFile)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	j := &journal{file: f, unsynced: map[string]bool{}, allocated: info.Size()}
	header := make([]byte, journalHeaderSize)
	if _, err := f.ReadAt(header, 0); err != nil || !bytes.Equal(header[:8], journalMagic) {
		// New, or created by a crash before its header was synced: nothing
		// in it was acknowledged.
		if err := j.reset(1); err != nil {
			f.Close()
			return nil, nil, err
		}
		return j, nil, syncPath(path)
	}
	if crc32.Checksum(header[:16], castagnoli) != binary.BigEndian.Uint32(header[16:]) {
		f.Close()
		return nil, nil, fmt.Errorf("%s: the header's checksum does not match", name)
	}
	j.generation = binary.BigEndian.Uint64(header[8:16])
	j.end = journalHeaderSize
	// Records are read one by one, not the whole file: past the last one
	// lie zeros written ahead and records of earlier generations.
	var records []journalRecord
	for {
		rec, size, ok := j.readRecord()
		if !ok {
			break // the end, or a record a crash cut short: never acknowledged
		}
		records = append(records, rec)
		j.end += size
	}
	return j, records, nil
}

// readRecord reads the record at j.end, if it is whole and of this
// generation, and returns it with its size.
func (j *journal) readRecord() (journalRecord, int64, bool) {
	head := make([]byte, 8)
	if _, err := j.file.ReadAt(head, j.end); err != nil {
		return journalRecord{}, 0, false
	}
	size := int64(binary.BigEndian.Uint32(head))
	if size < 8 || j.end+8+size > j.allocated {
		return journalRecord{}, 0, false
	}
	data := make([]byte, 8+size)
	if _, err := j.file.ReadAt(data, j.end); err != nil {
		return journalRecord{}, 0, false
	}
	return decodeRecord(data, j.generation)
}

// reset starts generation gen, with no records.
func (j *journal) reset(gen uint64) error {
	header := make([]byte, journalHeaderSize)
	copy(header, journalMagic)
	binary.BigEndian.PutUint64(header[8:], gen)
	binary.BigEndian.PutUint32(header[16:], crc32.Checksum(header[:16], castagnoli))
	if _, err := j.file.WriteAt(header, 0); err != nil {
		return err
	}
	if err := unix.Fdatasync(int(j.file.Fd())); err != nil {
		return err
	}
	j.generation, j.end = gen, journalHeaderSize
	j.allocated = max(j.allocated, journalHeaderSize)
	return nil
}

// maxJournal is the size past which the applier checkpoints the journal
// without waiting for a merge, so that it stays small to replay: a commit
// to a folder of thousands of objects journals a tree of hundreds of KiB.
const maxJournal = 64 << 20

// full tells whether the journal is past maxJournal.
func (j *journal) full() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.end > maxJournal
}

// moved notes a ref file renamed into place but not synced.
func (j *journal) moved(ref string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.unsynced[ref] = true
}

// checkpoint syncs files, the refs moved since the last checkpoint and
// their folders, and empties the journal. The caller has made every other
// journaled pack durable.
func (j *journal) checkpoint(files []string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	paths := files
	dirs := map[string]bool{}
	for ref := range j.unsynced {
		paths = append(paths, ref)
		dirs[filepath.Dir(ref)] = true
	}
	for dir := range dirs {
		paths = append(paths, dir)
	}
	if err := syncAll(paths); err != nil {
		return err
	}
	clear(j.unsynced)
	return j.reset(j.generation + 1)
}

// append writes rec and syncs it.
func (j *journal) append(rec journalRecord) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	data := encodeRecord(rec, j.generation)
	if err := j.allocate(j.end + int64(len(data))); err != nil {
		return err
	}
	if _, err := j.file.WriteAt(data, j.end); err != nil {
		return err
	}
	if err := unix.Fdatasync(int(j.file.Fd())); err != nil {
		return err
	}
	j.end += int64(len(data))
	return nil
}

// journalGrowth is how much the journal grows by at least. Records overwrite
// zeros written ahead of them, so the fdatasync that makes one durable has
// no file size, and so no metadata, to write: that halves its cost.
const journalGrowth = 16 << 20

// allocate writes zeros up to at least size, when the file is shorter. The
// caller syncs them along with the record.
func (j *journal) allocate(size int64) error {
	if size <= j.allocated {
		return nil
	}
	grown := max(size, j.allocated+journalGrowth)
	zeros := make([]byte, 1<<20)
	for at := j.allocated; at < grown; at += int64(len(zeros)) {
		n := min(int64(len(zeros)), grown-at)
		if _, err := j.file.WriteAt(zeros[:n], at); err != nil {
			return err
		}
	}
	j.allocated = grown
	return nil
}

// A record is its payload's length and checksum, then the payload: the
// generation, the pack's name, the pack, its index, and the ref moves. It is
// built in one buffer of its final size: the pack is most of it.
func encodeRecord(rec journalRecord, gen uint64) []byte {
	size := 8 + 8 + len(rec.pack.name) + 4 + len(rec.pack.pack) + 4 + len(rec.pack.idx) + 4
	for _, u := range rec.updates {
		size += 4 + len(u.Name) + len(u.Old) + len(u.New)
	}
	out := make([]byte, 8, size)
	out = binary.BigEndian.AppendUint64(out, gen)
	out = append(out, rec.pack.name[:]...)
	out = appendChunk(out, rec.pack.pack)
	out = appendChunk(out, rec.pack.idx)
	out = binary.BigEndian.AppendUint32(out, uint32(len(rec.updates)))
	for _, u := range rec.updates {
		out = appendChunk(out, []byte(u.Name))
		out = append(out, u.Old[:]...)
		out = append(out, u.New[:]...)
	}
	payload := out[8:]
	binary.BigEndian.PutUint32(out, uint32(len(payload)))
	binary.BigEndian.PutUint32(out[4:], crc32.Checksum(payload, castagnoli))
	return out
}

func appendChunk(b, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	return append(b, data...)
}

// decodeRecord reads the record at the start of data, if it is whole and of
// generation gen, and returns it with its size.
func decodeRecord(data []byte, gen uint64) (journalRecord, int64, bool) {
	if len(data) < 8 {
		return journalRecord{}, 0, false
	}
	size := int64(binary.BigEndian.Uint32(data))
	if size < 8 || int64(len(data)-8) < size {
		return journalRecord{}, 0, false
	}
	payload := data[8 : 8+size]
	if crc32.Checksum(payload, castagnoli) != binary.BigEndian.Uint32(data[4:]) {
		return journalRecord{}, 0, false
	}
	r := &chunkReader{data: payload}
	if binary.BigEndian.Uint64(r.next(8)) != gen {
		return journalRecord{}, 0, false
	}
	var rec journalRecord
	copy(rec.pack.name[:], r.next(20))
	rec.pack.pack = r.chunk()
	rec.pack.idx = r.chunk()
	for n := binary.BigEndian.Uint32(r.next(4)); n > 0 && r.err == nil; n-- {
		u := RefUpdate{Name: plumbing.ReferenceName(r.chunk())}
		copy(u.Old[:], r.next(20))
		copy(u.New[:], r.next(20))
		rec.updates = append(rec.updates, u)
	}
	if r.err != nil {
		return journalRecord{}, 0, false
	}
	return rec, 8 + size, true
}

// chunkReader reads a payload whose checksum matched; a short one (written
// by a different version, say) sets err rather than panicking.
type chunkReader struct {
	data []byte
	err  error
}

func (r *chunkReader) next(n int) []byte {
	if r.err != nil || len(r.data) < n {
		r.err = errors.New("journal record too short")
		return make([]byte, n)
	}
	out := r.data[:n]
	r.data = r.data[n:]
	return out
}

func (r *chunkReader) chunk() []byte {
	return r.next(int(binary.BigEndian.Uint32(r.next(4))))
}
