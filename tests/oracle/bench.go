package main

// `oracle bench`: the workloads of benches/workqueue.rs, run on the REAL
// client-go workqueue and controller-runtime priority queue (the versions in
// go.mod), so scripts/bench.sh can print Go's figure beside the port's from
// the same run on the same machine.
//
//	oracle bench [-out FILE] [-cpuprofile FILE] [FILTER]
//
// FILTER runs only the sections whose name contains it, as the Rust bench
// does (cycle, rate_limited, pq_cycle, pq_rate_limited, add_after, seed).
//
// Timing. The figures are the whole process's CPU time (getrusage
// RUSAGE_SELF, user+sys, all threads), best of several runs, per operation.
// Go has no per-goroutine CPU clock, and these queues do part of every
// operation on their own goroutines (client-go's waiting loop; the priority
// queue's add-buffer, waiting and ready loops) and in the GC, usually on the
// other core, so the calling thread's CPU time would leave work out; process
// CPU time counts all of it and, unlike wall time, not the time the process
// waits for a core on a shared machine. It also counts the scheduler's
// spinning and the runtime's background threads: that is Go's real cost of
// handing work between goroutines. The best wall time is printed beside it
// (and written under "wall"). Each run starts after a runtime.GC().
//
// Clocks. As in the Rust bench, the queues run on fake clocks: client-go's
// queues take k8s.io/utils' FakeClock through their Config.Clock; the
// priority queue has no clock option, so its unexported now/tick fields are
// assigned through reflect+unsafe right after New (as priorityqueue_record.go
// does), now = FakeClock.Now and tick = a FakeClock timer (FakeClock.Tick
// registers a repeating ticker that is never removed, so the clock would
// slow down with every call; the queue only ever reads the first tick of
// each, so a one-shot timer is the same to it). Metrics are each package's
// defaults (client-go: none registered; controller-runtime: its
// Prometheus-backed provider, which runs in every controller).

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"k8s.io/client-go/util/workqueue"
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
)

func init() { subcommands["bench"] = runBench }

// benchTiming is a best-of-runs figure, in ns per operation.
type benchTiming struct {
	cpu, wall float64
	runs, per int
}

// processCPU is the CPU time (user+sys) of every thread of this process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs f `runs` times, each after a GC, and returns the best process
// CPU time and the best wall time, each per `per` operations.
func measure(runs, per int, f func()) benchTiming {
	t := benchTiming{cpu: math.Inf(1), wall: math.Inf(1), runs: runs, per: per}
	for range runs {
		runtime.GC()
		c0, w0 := processCPU(), time.Now()
		f()
		w := time.Since(w0)
		c := processCPU() - c0
		t.cpu = min(t.cpu, float64(c.Nanoseconds())/float64(per))
		t.wall = min(t.wall, float64(w.Nanoseconds())/float64(per))
	}
	return t
}

// watchdog ends the process if a section blocks for good (a Get waiting
// for an item that never comes would otherwise hang scripts/bench.sh).
func watchdog(name string) (stop func() bool) {
	t := time.AfterFunc(10*time.Minute, func() {
		buf := make([]byte, 1<<20)
		fmt.Fprintf(os.Stderr, "oracle bench: %s still running after 10 min, giving up\n%s\n",
			name, buf[:runtime.Stack(buf, true)])
		os.Exit(1)
	})
	return t.Stop
}

// benchKeys are the Rust bench's keys: "namespace-007/object-0000007".
func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("namespace-%03d/object-%07d", i%1000, i)
	}
	return keys
}

// benchCycle: Add+Get+Done over 100 keys on client-go's queue. The Get
// never blocks: the key was just added (client-go's Add is synchronous).
func benchCycle() benchTiming {
	hundred := benchKeys(100)
	q := workqueue.NewTypedWithConfig(workqueue.TypedQueueConfig[string]{
		Clock: testingclock.NewFakeClock(fakeStart),
	})
	defer q.ShutDown()
	const cycles = 2_000_000
	return measure(7, cycles, func() {
		for i := range cycles {
			q.Add(hundred[i%100])
			x, _ := q.Get()
			q.Done(x)
		}
	})
}

// rateLimitedLoop drives the rate-limited rows: each iteration adds one key
// from a pool of 20 000 (add), steps the fake clock by step, then gets,
// dones and forgets what is ready, as the Rust loop does. Every key waits
// delay (its limiter's first step: it was forgotten), so delay/step keys are
// in flight.
//
// Get blocks, and the queue moves due items in on its own goroutine, so the
// loop must only Get what will come. It Gets (1) while Len says an item is
// there, and (2), blocking, until it has got every key due at the PREVIOUS
// step (readyAt <= that time; it tracks an upper bound, the time after the
// add's own step plus delay, as the priority queue reads its clock when it
// flushes the add, which may be after the step). (2) cannot hang: this
// iteration's add wakes the waiting loop after that step, so it moves those
// keys in; a key due at THIS step may wait for the next step (the loop may
// have read the clock just before it and armed its timer just after), so
// the loop does not wait for it. It keeps the in-flight count at
// delay/step (+ a couple), printed after the run.
type rateLimitedLoop struct {
	q           workqueue.TypedRateLimitingInterface[string]
	clk         *testingclock.FakeClock
	step, delay time.Duration
	add         func(i int, key string)
	pool        []string

	now      time.Duration // the fake clock, since it started
	readyBy  []time.Duration
	due      int // keys due at the previous step, got or not
	added    int
	got      int
	timed    bool
	min, max int // keys in flight after each timed iteration
}

func (l *rateLimitedLoop) iterate(count int) {
	for range count {
		l.add(l.added, l.pool[l.added%len(l.pool)])
		l.added++
		prev := l.now
		l.clk.Step(l.step)
		l.now += l.step
		l.readyBy = append(l.readyBy, l.now+l.delay)
		for len(l.readyBy) > 0 && l.readyBy[0] <= prev {
			l.readyBy = l.readyBy[1:]
			l.due++
		}
		for l.got < l.due || l.q.Len() > 0 {
			x, _ := l.q.Get()
			l.q.Done(x)
			l.q.Forget(x)
			l.got++
		}
		if l.timed {
			n := l.added - l.got
			if l.min == 0 || n < l.min {
				l.min = n
			}
			l.max = max(l.max, n)
		}
	}
}

// run warms up to the steady state, then measures.
func (l *rateLimitedLoop) run(runs, per int) benchTiming {
	l.iterate(50_000)
	l.timed = true
	return measure(runs, per, func() { l.iterate(per) })
}

func (l *rateLimitedLoop) String() string {
	return fmt.Sprintf("%d..%d in flight", l.min, l.max)
}

// benchRateLimited: AddRateLimited+Get+Done+Forget, client-go's item-based
// default limiter (1 ms, forgotten every time), the fake clock stepping
// 100 ns per iteration, so 10 000 keys wait in the waiting loop's heap.
func benchRateLimited() (benchTiming, *rateLimitedLoop) {
	clk := testingclock.NewFakeClock(fakeStart)
	q := workqueue.NewTypedRateLimitingQueueWithConfig(
		workqueue.DefaultTypedItemBasedRateLimiter[string](),
		workqueue.TypedRateLimitingQueueConfig[string]{Clock: clk})
	defer q.ShutDown()
	l := &rateLimitedLoop{
		q: q, clk: clk, step: 100 * time.Nanosecond, delay: time.Millisecond,
		add:  func(_ int, key string) { q.AddRateLimited(key) },
		pool: benchKeys(20_000),
	}
	return l.run(5, 1_000_000), l
}

// benchPQCycle: controller-runtime's priority queue, Add+Get+Done over 100
// keys. Every cycle crosses its goroutines: Add appends to the add buffer,
// Get registers a waiter and the ready loop hands the item over a channel.
func benchPQCycle() benchTiming {
	hundred := benchKeys(100)
	q := priorityqueue.New[string]("bench_pq_cycle")
	defer q.ShutDown()
	const cycles = 200_000
	return measure(5, cycles, func() {
		for i := range cycles {
			q.Add(hundred[i%100])
			x, _ := q.Get()
			q.Done(x)
		}
	})
}

// benchPQRateLimited: AddWithOpts(RateLimited, priority i%4)+Get+Done+Forget
// on the priority queue with its default limiter (5 ms, forgotten every
// time), the fake clock (injected) stepping 500 ns per iteration, so 10 000
// keys wait. Len, which the loop calls to see what is ready, also flushes
// the add buffer.
func benchPQRateLimited() (benchTiming, *rateLimitedLoop) {
	clk := testingclock.NewFakeClock(fakeStart)
	q := priorityqueue.New[string]("bench_pq_rate_limited")
	defer q.ShutDown()
	v := reflect.ValueOf(q).Elem()
	field(v, "now").Set(reflect.ValueOf(clk.Now))
	field(v, "tick").Set(reflect.ValueOf(func(d time.Duration) <-chan time.Time {
		return clk.NewTimer(d).C()
	}))
	priorities := [4]int{0, 1, 2, 3}
	l := &rateLimitedLoop{
		q: q, clk: clk, step: 500 * time.Nanosecond, delay: 5 * time.Millisecond,
		add: func(i int, key string) {
			q.AddWithOpts(priorityqueue.AddOpts{RateLimited: true, Priority: &priorities[i%4]}, key)
		},
		pool: benchKeys(20_000),
	}
	return l.run(5, 200_000), l
}

// benchAddAfter: AddAfter of 100k keys with the Rust bench's random delays
// (< 10 min, the same xorshift sequence), step the fake clock 11 min, Get and
// Done all. The waiting loop is a goroutine, so the Gets block until it has
// moved the items in: the real pipeline. (Should it have armed its timer
// from a `now` read before the step, the heartbeat ticker, due at 10 s,
// fires at the step and wakes it.)
func benchAddAfter() benchTiming {
	lots := benchKeys(100_000)
	seed := uint64(0x2545_f491_4f6c_dd1d)
	delays := make([]time.Duration, len(lots))
	for i := range delays {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		delays[i] = time.Duration(seed % 600_000_000_000)
	}
	return measure(5, len(lots), func() {
		clk := testingclock.NewFakeClock(fakeStart)
		dq := workqueue.NewTypedDelayingQueueWithConfig(workqueue.TypedDelayingQueueConfig[string]{Clock: clk})
		for i, k := range lots {
			dq.AddAfter(k, delays[i])
		}
		clk.Step(11 * time.Minute)
		for range lots {
			x, _ := dq.Get()
			dq.Done(x)
		}
		dq.ShutDown()
	})
}

// waitingForAddLen is the backlog of client-go's AddAfter channel, which
// its waiting loop drains into its heap.
func waitingForAddLen(q workqueue.TypedRateLimitingInterface[string]) int {
	dq := reflect.ValueOf(q).Elem().FieldByName("TypedDelayingInterface").Elem().Elem()
	ch := dq.FieldByName("waitingForAddCh")
	if !ch.IsValid() {
		panic("client-go internals changed: no delayingType.waitingForAddCh")
	}
	return ch.Len()
}

// seedResult is the seed-bug row: ns per AddRateLimited and heap bytes
// retained per key.
type seedResult struct {
	call  benchTiming
	bytes float64
}

// benchSeed: the seed bug. 1M distinct keys, AddRateLimited with the real
// DefaultTypedControllerRateLimiter (its token bucket reads the real clock),
// never Forget. Each run builds the queue, adds every key and waits until the
// waiting loop has taken the last entry off its channel (plus 2 ms for the
// insert in hand); bytes retained = HeapAlloc after a GC with the queue alive
// minus before it was built (the keys exist before, so their text is not
// counted, as on the Rust side).
func benchSeed() seedResult {
	million := benchKeys(1_000_000)
	res := seedResult{call: benchTiming{cpu: math.Inf(1), wall: math.Inf(1), runs: 3, per: len(million)}, bytes: math.Inf(1)}
	for range 3 {
		var q workqueue.TypedRateLimitingInterface[string]
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		t := measure(1, len(million), func() {
			q = workqueue.NewTypedRateLimitingQueueWithConfig(
				workqueue.DefaultTypedControllerRateLimiter[string](),
				workqueue.TypedRateLimitingQueueConfig[string]{Clock: testingclock.NewFakeClock(fakeStart)})
			for _, k := range million {
				q.AddRateLimited(k)
			}
			for waitingForAddLen(q) > 0 {
				time.Sleep(50 * time.Microsecond)
			}
			time.Sleep(2 * time.Millisecond)
		})
		runtime.GC()
		runtime.ReadMemStats(&after)
		res.bytes = min(res.bytes, (float64(after.HeapAlloc)-float64(before.HeapAlloc))/float64(len(million)))
		res.call.cpu = min(res.call.cpu, t.cpu)
		res.call.wall = min(res.call.wall, t.wall)
		runtime.KeepAlive(q)
		q.ShutDown()
	}
	return res
}

// moduleVersion is the version of module path this binary was built with.
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, d := range info.Deps {
		if d.Path == path {
			if d.Replace != nil {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return "unknown"
}

func runBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	out := fs.String("out", "", "also write the figures as JSON to this file")
	cpuProfile := fs.String("cpuprofile", "", "write a pprof CPU profile of the run to this file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: oracle bench [-out FILE] [-cpuprofile FILE] [FILTER]\n"+
			"Runs benches/workqueue.rs's workloads on client-go and controller-runtime;\n"+
			"FILTER runs only the sections whose name contains it\n"+
			"(cycle, rate_limited, pq_cycle, pq_rate_limited, add_after, seed).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("bench: at most one filter, got %q", fs.Args())
	}
	filter := fs.Arg(0)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	wanted := func(name string) bool { return strings.Contains(name, filter) }

	const clockNote = "process CPU time (getrusage RUSAGE_SELF: user+sys of all threads, GC and the queues' goroutines included), best of runs; fake clocks (k8s.io/utils FakeClock; the priority queue's now/tick injected)"
	results := map[string]any{
		"go":                 runtime.Version(),
		"client_go":          moduleVersion("k8s.io/client-go"),
		"controller_runtime": moduleVersion("sigs.k8s.io/controller-runtime"),
		"gomaxprocs":         runtime.GOMAXPROCS(0),
		"clock":              clockNote,
	}
	wall := map[string]float64{}
	type line struct {
		name, unit, note string
		t                benchTiming
	}
	var lines []line
	record := func(key, name, unit, note string, t benchTiming) {
		results[key] = t.cpu
		wall[key] = t.wall
		lines = append(lines, line{name, unit, note, t})
	}
	section := func(name string, run func()) {
		if !wanted(name) {
			return
		}
		fmt.Fprintf(os.Stderr, "oracle bench: %s...\n", name)
		stop := watchdog(name)
		run()
		stop()
	}

	section("cycle", func() {
		record("cycle", "Add+Get+Done cycle (100 keys)", "ns", "client-go", benchCycle())
	})
	section("rate_limited", func() {
		t, n := benchRateLimited()
		record("rate_limited", "AddRateLimited+Get+Done+Forget (10k in flight)", "ns",
			"client-go; "+n.String(), t)
	})
	section("pq_cycle", func() {
		record("pq_cycle", "PQ Add+Get+Done cycle (100 keys)", "ns", "controller-runtime", benchPQCycle())
	})
	section("pq_rate_limited", func() {
		t, n := benchPQRateLimited()
		record("pq_rate_limited", "PQ AddWithOpts(RateLimited) cycle, 10k in flight", "ns",
			"controller-runtime, fake clock; "+n.String(), t)
	})
	section("add_after", func() {
		record("add_after", "AddAfter 100k random delays + Get all", "ns/key", "client-go", benchAddAfter())
	})
	section("seed", func() {
		s := benchSeed()
		record("seed_call", "Seed bug: AddRateLimited, 1M keys, no Forget", "ns/call",
			"client-go, real DefaultTypedControllerRateLimiter", s.call)
		results["seed_bytes"] = s.bytes
		lines = append(lines, line{name: "Seed bug: bytes retained per key", unit: "B/key",
			note: "client-go; HeapAlloc after GC", t: benchTiming{cpu: s.bytes, wall: math.NaN()}})
	})
	results["wall"] = wall

	fmt.Printf("Go %s, client-go %s, controller-runtime %s, GOMAXPROCS=%d\n",
		results["go"], results["client_go"], results["controller_runtime"], results["gomaxprocs"])
	fmt.Printf("times: %s\n", clockNote)
	fmt.Printf("%-48s %14s %14s %12s  %s\n", "benchmark (Go)", "process CPU", "wall", "runs x ops", "")
	for _, l := range lines {
		wallText, runsText := "-", "-"
		if !math.IsNaN(l.t.wall) {
			wallText = fmt.Sprintf("%.1f %s", l.t.wall, l.unit)
			runsText = fmt.Sprintf("%d x %d", l.t.runs, l.t.per)
		}
		fmt.Printf("%-48s %14s %14s %12s  %s\n", l.name, fmt.Sprintf("%.1f %s", l.t.cpu, l.unit),
			wallText, runsText, l.note)
	}
	if *out != "" {
		b, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}
