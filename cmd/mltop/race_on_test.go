//go:build race

package main

// raceEnabled: the race detector multiplies a process's memory, so peak
// memory figures mean nothing under it.
const raceEnabled = true
