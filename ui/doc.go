// Package ui is Casebook's window: a start screen for creating, opening and
// building the demo case, and the case workbench — sources on the left,
// search results and a transcript reader in the centre, the details of the
// selected item on the right.
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
