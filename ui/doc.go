// Package ui is Casebook's window: a start screen for creating, opening and
// building the demo case, and the case workbench — on the left the case
// tree (sources by kind, tags, saved searches, statements, rules with their
// open suggestions) and the facets; in the centre the search with its
// filter chips, the transcript reader, the access-log table, the timeline,
// the review queue grouped by rule, actor and day, and the statements; on
// the right the details of the selected item (fields, tags, notes,
// statement links, related items, history). Files and folders dropped on
// the window are imported; a log whose columns are not placed with
// confidence goes through the mapping dialog first. The settings dialog
// edits the investigator, the policy, the place and IP-range tables and the
// theme; the report dialog previews the report before writing it and opens
// the PDF with the system viewer.
//
// The package calls the application layer (casefile) and the domain types
// (model) only. Each view is a small unexported struct that holds its
// widgets and declares the narrow interface it needs from the case, so the
// tests drive the views against a real case in a temporary folder.
//
// Threading: slow work (opening, importing, verifying, searching) runs in
// goroutines started through a runner; their results are applied in one
// fyne.Do. Long jobs go through the progress panel, which owns the job's
// context and cancels it when the investigator presses Cancel.
package ui
