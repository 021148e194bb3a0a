package main

// `oracle priorityqueue`: random operation sequences on the real
// controller-runtime priority queue (see priorityqueue_record.go for how it
// is driven and observed), one JSON line per sequence, replayed by
// tests/oracle_priority_replay.rs.
//
//	go run . priorityqueue -seeds 1-200 -out corpus/priorityqueue.jsonl
//
// Each sequence: seeded math/rand/v2 (PCG), 4–8 keys, ~150 operations, then
// ShutDown and a few operations after it. Every operation is followed by a
// settle (the queue's goroutines parked, its channels and add buffer empty,
// the state unchanged over 1 ms sleeps) and a snapshot.
//
// Exclusions, each because Go's behaviour is racy or blocking there:
//   - Get is only called when a ready, unlocked item exists (or after
//     shutdown): otherwise Go blocks, and a blocked waiter would grab the
//     next ready item asynchronously (the port has no persistent waiters).
//   - No operation is issued while the add buffer is unflushed or a timer
//     fire is unprocessed (the settle), so When runs before the next op.
//   - No token bucket beyond its burst: client-go's BucketRateLimiter reads
//     the wall clock, so only sequences that stay within the burst (delay 0
//     for every call) use it; the generator caps rate-limited items there.
//   - ShutDown is called once: a second call panics in Go (close of a
//     closed channel).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
)

func init() {
	subcommands["priorityqueue"] = runPriorityQueue
}

// pqLimiterSpec describes a limiter so the Rust side can build the same.
type pqLimiterSpec struct {
	Kind    string          `json:"kind"` // exponential | fast_slow | max_of | with_max_wait | bucket
	Base    int64           `json:"base,omitempty"`
	Max     int64           `json:"max,omitempty"`
	Fast    int64           `json:"fast,omitempty"`
	Slow    int64           `json:"slow,omitempty"`
	MaxFast int             `json:"max_fast,omitempty"`
	QPS     float64         `json:"qps,omitempty"`
	Burst   int             `json:"burst,omitempty"`
	Of      []pqLimiterSpec `json:"of,omitempty"`
}

func (s pqLimiterSpec) build() workqueue.TypedRateLimiter[string] {
	switch s.Kind {
	case "exponential":
		return workqueue.NewTypedItemExponentialFailureRateLimiter[string](time.Duration(s.Base), time.Duration(s.Max))
	case "fast_slow":
		return workqueue.NewTypedItemFastSlowRateLimiter[string](time.Duration(s.Fast), time.Duration(s.Slow), s.MaxFast)
	case "max_of":
		var ls []workqueue.TypedRateLimiter[string]
		for _, o := range s.Of {
			ls = append(ls, o.build())
		}
		return workqueue.NewTypedMaxOfRateLimiter(ls...)
	case "with_max_wait":
		return workqueue.NewTypedWithMaxWaitRateLimiter(s.Of[0].build(), time.Duration(s.Max))
	case "bucket":
		// Reads the wall clock: deterministic only within the burst.
		return &workqueue.TypedBucketRateLimiter[string]{Limiter: rate.NewLimiter(rate.Limit(s.QPS), s.Burst)}
	}
	panic("unknown limiter " + s.Kind)
}

func exponential(base, max time.Duration) pqLimiterSpec {
	return pqLimiterSpec{Kind: "exponential", Base: int64(base), Max: int64(max)}
}

// pickLimiter: mostly controller-runtime's default, plus a few others.
func pickLimiter(r *rand.Rand) (spec pqLimiterSpec, whenCap int) {
	ms := time.Millisecond
	switch r.IntN(10) {
	case 0:
		return exponential(ms, 40*ms), -1 // reaches its cap quickly
	case 1:
		return pqLimiterSpec{Kind: "fast_slow", Fast: int64(2 * ms), Slow: int64(100 * ms), MaxFast: 3}, -1
	case 2:
		return pqLimiterSpec{Kind: "max_of", Of: []pqLimiterSpec{
			exponential(ms, time.Second),
			{Kind: "fast_slow", Fast: int64(5 * ms), Slow: int64(30 * ms), MaxFast: 2},
		}}, -1
	case 3:
		return pqLimiterSpec{Kind: "with_max_wait", Max: int64(25 * ms), Of: []pqLimiterSpec{exponential(5*ms, 1000*time.Second)}}, -1
	case 4:
		// client-go's DefaultTypedControllerRateLimiter (what controllers
		// get with the priority queue off), kept within the bucket's burst.
		return pqLimiterSpec{Kind: "max_of", Of: []pqLimiterSpec{
			exponential(5*ms, 1000*time.Second),
			{Kind: "bucket", QPS: 10, Burst: 100},
		}}, 90
	default:
		return exponential(5*ms, 1000*time.Second), -1 // the priority queue's default
	}
}

// pqOp is one recorded operation and the state after it.
type pqOp struct {
	I              int      `json:"i"`
	Op             string   `json:"op"`
	Key            string   `json:"key,omitempty"`
	Keys           []string `json:"keys,omitempty"`
	After          int64    `json:"after,omitempty"`
	RateLimited    bool     `json:"rate_limited,omitempty"`
	Priority       *int     `json:"priority,omitempty"`
	D              int64    `json:"d,omitempty"`
	Result         *string  `json:"result,omitempty"`
	ResultPriority *int     `json:"result_priority,omitempty"`
	Shutdown       *bool    `json:"shutdown,omitempty"`
	NR             *int     `json:"nr,omitempty"`
	N              *int     `json:"n,omitempty"`
}

type pqSequence struct {
	Seed    uint64        `json:"seed"`
	Kind    string        `json:"kind"`
	Limiter pqLimiterSpec `json:"limiter"`
	Keys    int           `json:"keys"`
	// Ops: each operation's own fields plus the state after it,
	// delta-encoded: a state field (len, now, ready, waiting, locked, ac,
	// requeues, adds, retries, depth, lat_n, lat_sum, work_n, work_sum) appears only when it differs from the state after
	// the previous operation; the first operation carries all of them.
	Ops []map[string]json.RawMessage `json:"ops"`
}

// withState merges op and the fields of st that differ from prev (all of
// them when prev is nil) into one JSON object; returns st's fields.
func withState(op pqOp, st pqState, prev map[string]json.RawMessage) (obj, fields map[string]json.RawMessage, err error) {
	if err = remarshal(op, &obj); err != nil {
		return
	}
	if err = remarshal(st, &fields); err != nil {
		return
	}
	for k, v := range fields {
		if old, ok := prev[k]; !ok || !bytes.Equal(old, v) {
			obj[k] = v
		}
	}
	return
}

func remarshal(v any, into *map[string]json.RawMessage) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, into)
}

type pqGen struct {
	r          *rand.Rand
	keys       []string
	whenLeft   int // rate-limited items still allowed (-1: unlimited)
	priorities []int
	nilChance  int  // in tenths
	wide       bool // many distinct priorities (depth label cap)
}

func (g *pqGen) key() string { return g.keys[g.r.IntN(len(g.keys))] }

func (g *pqGen) priority() *int {
	if g.r.IntN(10) < g.nilChance {
		return nil
	}
	return new(g.priorities[g.r.IntN(len(g.priorities))])
}

var pqAfters = []time.Duration{
	0, time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond,
	20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, time.Second,
}

var pqSteps = []time.Duration{
	time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 100 * time.Millisecond,
	time.Second, 10 * time.Second,
}

func (g *pqGen) after(allowNegative bool) time.Duration {
	if allowNegative && g.r.IntN(12) == 0 {
		return -time.Second
	}
	return pqAfters[g.r.IntN(len(pqAfters))]
}

func (g *pqGen) rateLimited(n int) bool {
	if g.whenLeft >= 0 && g.whenLeft < n {
		return false
	}
	if g.whenLeft >= 0 {
		g.whenLeft -= n
	}
	return true
}

// next picks an operation (not yet executed) for the state h is in.
func (g *pqGen) next(h *pqHarness) pqOp {
	for {
		w := g.r.IntN(100)
		switch {
		case g.wide && w < 20:
			return pqOp{Op: "add_with_opts", Keys: []string{g.key()}, Priority: new(g.priorities[g.r.IntN(len(g.priorities))])}
		case w < 12:
			return pqOp{Op: "add", Key: g.key()}
		case w < 20:
			return pqOp{Op: "add_after", Key: g.key(), After: int64(g.after(false))}
		case w < 27:
			if !g.rateLimited(1) {
				continue
			}
			return pqOp{Op: "add_rate_limited", Key: g.key()}
		case w < 42:
			n := 1 + g.r.IntN(3)
			keys := make([]string, n)
			for i := range keys {
				keys[i] = g.key()
			}
			op := pqOp{Op: "add_with_opts", Keys: keys, After: int64(g.after(true)), Priority: g.priority()}
			op.RateLimited = g.r.IntN(3) == 0 && g.rateLimited(n)
			return op
		case w < 58:
			if !h.gettable() {
				continue
			}
			return pqOp{Op: "get"}
		case w < 70:
			locked := h.locked()
			if len(locked) > 0 && g.r.IntN(10) < 7 {
				return pqOp{Op: "done", Key: locked[g.r.IntN(len(locked))]}
			}
			return pqOp{Op: "done", Key: g.key()} // often spurious
		case w < 75:
			return pqOp{Op: "forget", Key: g.key()}
		case w < 79:
			return pqOp{Op: "num_requeues", Key: g.key()}
		case w < 83:
			return pqOp{Op: "len"}
		default:
			return pqOp{Op: "step", D: int64(pqSteps[g.r.IntN(len(pqSteps))])}
		}
	}
}

// apply executes op on the queue and fills in its results.
func (h *pqHarness) apply(op *pqOp) error {
	switch op.Op {
	case "add":
		h.q.Add(op.Key)
	case "add_after":
		h.q.AddAfter(op.Key, time.Duration(op.After))
	case "add_rate_limited":
		h.q.AddRateLimited(op.Key)
	case "add_with_opts":
		h.q.AddWithOpts(priorityqueue.AddOpts{
			After: time.Duration(op.After), RateLimited: op.RateLimited, Priority: op.Priority,
		}, op.Keys...)
	case "get":
		k, p, s, err := h.get()
		if err != nil {
			return err
		}
		op.Result, op.ResultPriority, op.Shutdown = &k, &p, &s
	case "done":
		h.q.Done(op.Key)
	case "forget":
		h.q.Forget(op.Key)
	case "num_requeues":
		op.NR = new(h.q.NumRequeues(op.Key))
	case "len":
		op.N = new(h.q.Len())
	case "step":
		h.clock.Step(time.Duration(op.D))
	case "shutdown":
		h.q.ShutDown()
		h.shutdown = true
	default:
		return fmt.Errorf("unknown op %q", op.Op)
	}
	return nil
}

func recordPQ(seed uint64, nOps, sleeps int) (pqSequence, error) {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	spec, whenCap := pickLimiter(r)
	nKeys := 4 + r.IntN(5)
	g := &pqGen{r: r, whenLeft: whenCap}
	for i := range nKeys {
		g.keys = append(g.keys, "k"+strconv.Itoa(i))
	}
	if r.IntN(6) == 0 {
		// Wide priorities: more than 25 distinct values exercise the depth
		// metric's cardinality cap.
		for p := -60; p <= 60; p++ {
			g.priorities = append(g.priorities, p)
		}
		g.nilChance = 1
		g.wide = true
	} else {
		g.priorities = []int{-100, -1, 0, 1, 2, 5, 10}
		g.nilChance = 4
	}
	seq := pqSequence{Seed: seed, Kind: "priorityqueue", Limiter: spec, Keys: nKeys}
	h := newPQHarness(fmt.Sprintf("pq-oracle-%d", seed), spec.build())

	var prev map[string]json.RawMessage
	run := func(op pqOp) error {
		op.I = len(seq.Ops)
		if err := h.apply(&op); err != nil {
			return fmt.Errorf("seed %d op %d (%s): %w", seed, op.I, op.Op, err)
		}
		st, err := h.settle(g.keys, sleeps)
		if err != nil {
			return fmt.Errorf("seed %d op %d (%s): %w", seed, op.I, op.Op, err)
		}
		obj, fields, err := withState(op, st, prev)
		if err != nil {
			return err
		}
		prev = fields
		seq.Ops = append(seq.Ops, obj)
		return nil
	}
	for range nOps {
		if err := run(g.next(h)); err != nil {
			return seq, err
		}
	}
	if err := run(pqOp{Op: "shutdown"}); err != nil {
		return seq, err
	}
	for range 8 {
		if err := run(g.next(h)); err != nil {
			return seq, err
		}
	}
	return seq, nil
}

// parseSeeds accepts "1-100", "7" or "1,5,9-12".
func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 64)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 10, 64); err != nil {
				return nil, err
			}
		}
		for x := a; x <= b; x++ {
			out = append(out, x)
		}
	}
	return out, nil
}

func runPriorityQueue(args []string) error {
	fs := flag.NewFlagSet("priorityqueue", flag.ContinueOnError)
	seeds := fs.String("seeds", "1-200", "seeds to record: 1-200, 7 or 1,5,9-12")
	out := fs.String("out", "-", "output JSONL file (- for stdout)")
	nOps := fs.Int("ops", 150, "operations per sequence before shutdown")
	sleeps := fs.Int("stable-sleeps", 3, "1 ms sleeps over which the settled state must not change")
	if err := fs.Parse(args); err != nil {
		return err
	}
	list, err := parseSeeds(*seeds)
	if err != nil {
		return fmt.Errorf("bad -seeds: %w", err)
	}
	w := os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	for _, seed := range list {
		seq, err := recordPQ(seed, *nOps, *sleeps)
		if err != nil {
			return err
		}
		line, err := json.Marshal(seq)
		if err != nil {
			return err
		}
		bw.Write(line)
		bw.WriteByte('\n')
	}
	return nil
}
