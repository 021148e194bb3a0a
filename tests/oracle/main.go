// Command oracle runs operation sequences on the real client-go workqueue and
// controller-runtime priority queue (the versions in go.mod) on a fake clock,
// and records what they return after every operation, one JSON object per
// line, for the Rust port to replay (tests/oracle_replay.rs).
//
//	oracle clientgo ...        record client-go workqueue sequences
//	oracle priorityqueue ...   record controller-runtime priority-queue sequences
//	oracle bench ...           Go benchmarks of the workloads benches/workqueue.rs measures
//
// Each subcommand prints its own flags with -h.
package main

import (
	"fmt"
	"os"
)

// subcommands maps a subcommand name to its entry point; each file that
// records one queue model registers itself here from an init function.
var subcommands = map[string]func(args []string) error{}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	run, ok := subcommands[os.Args[1]]
	if !ok {
		usage()
		os.Exit(2)
	}
	if err := run(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: oracle <subcommand> [flags]; subcommands:")
	for name := range subcommands {
		fmt.Fprintln(os.Stderr, "  "+name)
	}
}
