package main

// The clientgo subcommand: flags, seed ranges, parallel child processes,
// output.
//
// The lines have the format of /work/shared/vectors/clientgo-v0.30.14 (see
// its README), plus:
//   - op "shutdown_with_drain" (ShutDownWithDrain, run in a goroutine since it
//     blocks until nothing is processing);
//   - "drained" (bool) on that op and every op after it: whether the
//     ShutDownWithDrain call has returned;
//   - step dk "jitter" (the 1–999 ns step before every delayed add on even
//     seeds; the shared corpus has it too, its README does not name it);
//   - when_seq calls with "op":"forget" (Forget(key) at t; no delay; nr after).
//
// Every queue sequence ends with ShutDown (seed/2 even) or ShutDownWithDrain
// (seed/2 odd), then ops after it, Gets until one reports shutdown, and Dones
// of what is still processing; a quarter of the drain sequences also call
// ShutDown while ShutDownWithDrain waits.

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func init() {
	subcommands["clientgo"] = runClientGo
}

func runClientGo(args []string) error {
	fs := flag.NewFlagSet("clientgo", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: oracle clientgo -seeds A-B [-out FILE] [-when-seqs] [-j N]

Records one jsonl line per seed A..B (client-go rate-limiting queue on a fake
clock, what it returned after every op); -when-seqs first adds the
limiter-only when_seq lines (negative seeds). The output is a function of
the seeds alone: -j only changes how long it takes.`)
		fs.PrintDefaults()
	}
	seeds := fs.String("seeds", "", "seed range A-B (inclusive, A,B >= 0) or a single seed")
	out := fs.String("out", "", "output file (default stdout)")
	whenSeqsFlag := fs.Bool("when-seqs", false, "also record the limiter-only when_seq sequences (before the queue sequences)")
	jobs := fs.Int("j", 1, "record disjoint seed ranges in this many child processes")
	noSettle := fs.Bool("no-settle", false, "do not settle the waiting loop after ops (only to show that recordings then differ)")
	timing := fs.Bool("timing", false, "print seconds per 100 queue sequences to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	lo, hi, err := parseSeedRange(*seeds)
	if err != nil {
		return err
	}

	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)

	start := time.Now()
	if *whenSeqsFlag {
		var b []byte
		for _, ws := range whenSeqs() {
			b = appendWhenSeq(b[:0], ws)
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	if hi >= lo {
		if *jobs > 1 && hi > lo {
			err = recordParallel(bw, lo, hi, *jobs, *noSettle)
		} else {
			err = recordRange(bw, lo, hi, recordOptions{noSettle: *noSettle})
		}
		if err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if *timing && hi >= lo {
		secs := time.Since(start).Seconds()
		fmt.Fprintf(os.Stderr, "clientgo: %d sequences in %.2fs, %.2fs per 100\n", hi-lo+1, secs, secs*100/float64(hi-lo+1))
	}
	if f, ok := w.(*os.File); ok && f != os.Stdout {
		return f.Close()
	}
	return nil
}

// parseSeedRange parses "A-B" or "N".
func parseSeedRange(s string) (lo, hi int64, err error) {
	if s == "" {
		return 0, -1, nil
	}
	a, b, isRange := strings.Cut(s, "-")
	if lo, err = strconv.ParseInt(a, 10, 64); err != nil {
		return 0, 0, fmt.Errorf("-seeds %q: %w", s, err)
	}
	hi = lo
	if isRange {
		if hi, err = strconv.ParseInt(b, 10, 64); err != nil {
			return 0, 0, fmt.Errorf("-seeds %q: %w", s, err)
		}
	}
	if lo < 0 || hi < lo {
		return 0, 0, fmt.Errorf("-seeds %q: want A-B with 0 <= A <= B", s)
	}
	return lo, hi, nil
}

// recordRange records seeds lo..hi in this process, one at a time.
func recordRange(w io.Writer, lo, hi int64, opts recordOptions) error {
	var sc stackScanner
	var b []byte
	for seed := lo; ; seed++ {
		var err error
		b, err = recordQueueSeq(b[:0], seed, opts, &sc)
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		if seed == hi {
			return nil
		}
	}
}

// recordParallel splits lo..hi into jobs contiguous ranges, records each in
// a child process (settling is mostly waiting, so this scales past the core
// count) and concatenates their outputs in seed order.
func recordParallel(w io.Writer, lo, hi int64, jobs int, noSettle bool) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "oracle-clientgo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	n := hi - lo + 1
	jobs = int(min(int64(jobs), n))
	type child struct {
		cmd  *exec.Cmd
		file string
	}
	var children []child
	for j := range jobs {
		a := lo + n*int64(j)/int64(jobs)
		b := lo + n*int64(j+1)/int64(jobs) - 1
		file := filepath.Join(dir, strconv.Itoa(j)+".jsonl")
		args := []string{"clientgo", "-seeds", fmt.Sprintf("%d-%d", a, b), "-out", file}
		if noSettle {
			args = append(args, "-no-settle")
		}
		cmd := exec.Command(exe, args...)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			return err
		}
		children = append(children, child{cmd, file})
	}
	var firstErr error
	for _, c := range children {
		if err := c.cmd.Wait(); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%v: %w", c.cmd.Args, err)
		}
	}
	if firstErr != nil {
		return firstErr
	}
	for _, c := range children {
		f, err := os.Open(c.file)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
