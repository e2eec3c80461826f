// Package update finds newer versions of a project's Go modules and npm
// packages, tries each one (or a group, bisected down to the culprits)
// against the project's own tests in an isolated copy, and reports which
// to keep. [Apply] writes the passing set into the project and commits it
// on a new branch with a PR-ready description.
//
// The user's working tree is never written except by [Apply], and by
// [Report.Record], which keeps each run's report in .bulwark/ for the
// console.
package update
