package importer

import (
	"errors"
	"strings"
	"testing"

	"casebook/model"
)

// A refusal names what was seen, the nearest formats and why they did not
// fit, and the way forward, on one line.
func TestRefusalsSayWhatWasSeenAndWhatToDo(t *testing.T) {
	cases := []struct {
		name string
		head []byte
		kind model.SourceKind
		want []string
	}{
		{"notes.txt", []byte("Meeting notes\nnothing here is a log\n"), "",
			[]string{"notes.txt", "seen: utf-8 text", `first line "Meeting notes"`}},
		{"staff.csv", []byte("Who,Where,What\nMia Chen,LA,export\nDaniel Okafor,SG,read\n"), "",
			[]string{"a table of 3 columns: Who, Where, What", "csv-accesslog at 0% (no column names a time; placed actor=Who"}},
		{"ops.json", []byte(`{"user":"mia.chen","op":"export","size":12}` + "\n"), "",
			[]string{"JSON whose first record has the keys op, size, user", "jsonl-accesslog at 0% (no column names a time"}},
		{"scan.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00"), "",
			[]string{"binary file (not text): a PDF document, first bytes 25 50 44 46"}},
		{"auth.log", readTestdata(t, "logfixtures/lumora_auth.log"), model.KindTranscript,
			[]string{"syslog at", "(accesslog, not a transcript: drop --kind transcript)"}},
		{"security.csv", readTestdata(t, "logfixtures/lumora_security_events.csv"), model.KindTranscript,
			[]string{"winevent-csv", "not as a transcript"}},
		{"bundle.zip", []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x03\x00\x00\x00\x08\x00\x00\x00notes.mdabc"), model.KindTranscript,
			[]string{"a zip container whose first entries are notes.md"}},
	}
	for _, c := range cases {
		_, err := Detect(c.name, c.head, c.kind)
		if !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		msg := err.Error()
		for _, w := range append(c.want, "`casebook formats`", "`--format NAME`") {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: refusal lacks %q:\n%s", c.name, w, msg)
			}
		}
		if strings.Contains(msg, "\n") || len(msg) > 900 {
			t.Errorf("%s: refusal is not one line (%d bytes): %s", c.name, len(msg), msg)
		}
	}
}

func TestEventViewerCSVInOtherLanguagesIsDetected(t *testing.T) {
	for _, h := range []string{
		"Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie\n",
		"Niveau,Date et heure,Source,ID de l’événement,Catégorie de la tâche\n",
		"Nivel,Fecha y hora,Origen,Id. del evento,Categoría de la tarea\n",
	} {
		head := []byte(h + "Informationen,04.03.2024 09:15:02,Microsoft-Windows-Security-Auditing,4624,Anmelden,\"x\"\n")
		if f, err := Detect("events.csv", head, ""); err != nil || f.Name != "winevent-csv" {
			t.Errorf("%q: %s %v", h, fname(f), err)
		}
	}
}
