package importer

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

func TestArchiveEntriesListsTranscriptsAndSkipsClutter(t *testing.T) {
	vtt := readTestdata(t, "fixtures/teams_lumora_standup.vtt")
	srt := readTestdata(t, "fixtures/lumora_interview.srt")
	data := zipOf(t, map[string][]byte{
		"standup.vtt": vtt, "calls/interview.srt": srt, "calls/": nil,
		"__MACOSX/._standup.vtt": []byte("junk"), ".DS_Store": []byte("junk"), "calls/.hidden.txt": []byte("x"),
	}, []string{"calls/", "standup.vtt", "calls/interview.srt", "__MACOSX/._standup.vtt", ".DS_Store", "calls/.hidden.txt"})
	if !IsArchive("meetings.zip", data[:min(len(data), HeadSize)]) || !IsArchive("file.bin", data) {
		t.Fatal("IsArchive does not recognise a zip of transcripts")
	}
	entries, err := ArchiveEntries("meetings.zip", bytes.NewReader(data), int64(len(data)), DefaultArchiveLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Name != "standup.vtt" || entries[1].Name != "calls/interview.srt" {
		t.Fatalf("entries = %+v", entries)
	}
	for i, want := range [][]byte{vtt, srt} {
		rc, err := entries[i].Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, want) || entries[i].Size != int64(len(want)) {
			t.Errorf("entry %s: %d bytes (%v), want %d", entries[i].Name, len(got), err, len(want))
		}
		f, err := Detect(entries[i].Name, got, "")
		if err != nil || (i == 0 && f.Name != "vtt") || (i == 1 && f.Name != "srt") {
			t.Errorf("entry %s detected as %v (%v)", entries[i].Name, f, err)
		}
	}
}

func TestIsArchiveLeavesDOCXAndTextAlone(t *testing.T) {
	docx := teamsDOCX(t)
	if IsArchive("review.docx", docx) || IsArchive("review.zip", docx) {
		t.Error("a DOCX was taken for a plain archive")
	}
	if IsArchive("a.vtt", []byte("WEBVTT\n")) {
		t.Error("text was taken for an archive")
	}
}

func TestArchiveEntriesRefusesHostileNames(t *testing.T) {
	for _, name := range []string{"../evil.vtt", "calls/../../evil.vtt", "/etc/evil.vtt", `..\..\evil.vtt`, `C:\evil.vtt`, "C:/evil.vtt"} {
		data := zipOf(t, map[string][]byte{"ok.vtt": []byte("WEBVTT\n"), name: []byte("WEBVTT\n")}, []string{"ok.vtt", name})
		_, err := ArchiveEntries("hostile.zip", bytes.NewReader(data), int64(len(data)), DefaultArchiveLimits())
		if err == nil {
			t.Errorf("entry %q accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), "hostile.zip") || !strings.Contains(err.Error(), strings.ReplaceAll(name, `\`, `\\`)) {
			t.Errorf("error %q does not name the archive and entry %q", err, name)
		}
	}
}

func TestArchiveEntriesRefusesSymlinks(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "link.vtt", Method: zip.Store}
	h.SetMode(os.ModeSymlink | 0o777)
	w, err := zw.CreateHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("/etc/passwd"))
	zw.Close()
	_, err = ArchiveEntries("links.zip", bytes.NewReader(buf.Bytes()), int64(buf.Len()), DefaultArchiveLimits())
	if err == nil || !strings.Contains(err.Error(), `"link.vtt"`) {
		t.Errorf("symlink: %v", err)
	}
}

func TestArchiveEntriesRefusesBombs(t *testing.T) {
	bomb := zipOf(t, map[string][]byte{"big.vtt": bytes.Repeat([]byte{'a'}, 16<<20)}, []string{"big.vtt"})
	_, err := ArchiveEntries("bomb.zip", bytes.NewReader(bomb), int64(len(bomb)), DefaultArchiveLimits())
	if err == nil || !strings.Contains(err.Error(), "zip bomb") || !strings.Contains(err.Error(), `"big.vtt"`) {
		t.Errorf("bomb: %v", err)
	}
	lim := DefaultArchiveLimits()
	lim.MaxEntrySize = 1 << 20
	_, err = ArchiveEntries("bomb.zip", bytes.NewReader(bomb), int64(len(bomb)), lim)
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("entry size limit: %v", err)
	}
	two := zipOf(t, map[string][]byte{"a.vtt": []byte("x"), "b.vtt": []byte("y")}, []string{"a.vtt", "b.vtt"})
	_, err = ArchiveEntries("two.zip", bytes.NewReader(two), int64(len(two)), ArchiveLimits{MaxEntries: 1})
	if err == nil {
		t.Error("entry count limit not enforced")
	}
	_, err = ArchiveEntries("two.zip", bytes.NewReader(two), int64(len(two)), ArchiveLimits{MaxTotal: 1})
	if err == nil {
		t.Error("total size limit not enforced")
	}
}

func TestArchiveEntryLyingAboutItsSizeFailsOnRead(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	payload := bytes.Repeat([]byte("WEBVTT lie "), 100)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "liar.vtt", Method: zip.Store,
		CompressedSize64: uint64(len(payload)), UncompressedSize64: 10})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(payload)
	zw.Close()
	entries, err := ArchiveEntries("liar.zip", bytes.NewReader(buf.Bytes()), int64(buf.Len()), DefaultArchiveLimits())
	if err != nil {
		t.Fatal(err)
	}
	rc, err := entries[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err == nil || len(got) > 10 {
		t.Errorf("read %d bytes of a 10-byte entry, err %v", len(got), err)
	}
}
