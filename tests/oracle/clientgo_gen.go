package main

// The client-go sequence generator: decides the next operation from the seed
// (math/rand/v2, seeded from the seed only) and from what the queue returned
// so far (Len, Get's item, When's delay), so a sequence is a function of its
// seed alone as long as the recorded queue is deterministic.

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// genOp is one operation to run on the queue.
type genOp struct {
	Op  string // add, add_after, add_rate_limited, forget, num_requeues, len, get, done, step, shutdown, shutdown_with_drain
	Key string // add, add_after, add_rate_limited, forget, num_requeues, done
	D   int64  // add_after delay, step length (ns)
	DK  string // add_after / step kind label
}

// genObs is what the recorder saw after running an op (after settling).
type genObs struct {
	Len      int
	Now      int64
	Delay    int64  // add_rate_limited: what When returned
	Result   string // get
	Shutdown bool   // get
}

// genConfig overrides sequence sizes (tests use short sequences).
type genConfig struct {
	MainOps int // ops before the shutdown; 0: 125..160
	TailOps int // ops between the shutdown and the final drain-out; 0: 6..16
}

const (
	phaseMain = iota
	phaseShutdown
	phaseTail
	phaseFinal
	phaseEnd
)

type generator struct {
	r       *rand.Rand
	seed    int64
	keys    []string
	ties    bool // odd seeds: equal ready times across keys allowed and aimed at
	drain   bool // end with ShutDownWithDrain (else ShutDown)
	force   bool // drain sequences only: a ShutDown forces ShutDownWithDrain to return
	predict func(key string, at int64) int64

	// Model, updated from observations.
	now        int64
	qlen       int
	waiting    map[string]int64 // key -> ready time (earliest wins); released when <= now
	processing map[string]bool
	shutdown   bool

	phase     int
	count     int // ops emitted in the current phase
	mainOps   int
	tailOps   int
	finalGets int
	sawSDGet  bool
	forced    bool
	pending   []genOp
}

func newGenerator(seed int64, cfg genConfig, predict func(key string, at int64) int64) *generator {
	r := rand.New(rand.NewPCG(uint64(seed), 0x636c69656e74676f)) // "clientgo"
	g := &generator{
		r:          r,
		seed:       seed,
		ties:       seed%2 != 0,
		drain:      (seed/2)%2 != 0,
		predict:    predict,
		waiting:    map[string]int64{},
		processing: map[string]bool{},
	}
	nkeys := 4 + r.IntN(5)
	for i := range nkeys {
		g.keys = append(g.keys, "k"+strconv.Itoa(i))
	}
	g.mainOps = cfg.MainOps
	if g.mainOps == 0 {
		g.mainOps = 125 + r.IntN(36)
	}
	g.tailOps = cfg.TailOps
	if g.tailOps == 0 {
		g.tailOps = 6 + r.IntN(11)
	}
	g.force = g.drain && r.IntN(4) == 0
	return g
}

// weighted returns an index chosen with the given weights (at least one > 0).
func (g *generator) weighted(w ...int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := g.r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	panic("unreachable")
}

func (g *generator) key() string { return g.keys[g.r.IntN(len(g.keys))] }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const ms = int64(time.Millisecond)

// Next returns the next op, or false at the end of the sequence.
func (g *generator) Next() (genOp, bool) {
	if len(g.pending) == 0 {
		g.plan()
	}
	if len(g.pending) == 0 {
		return genOp{}, false
	}
	op := g.pending[0]
	g.pending = g.pending[1:]
	return op, true
}

// plan appends the next op(s) to pending (two when a jitter step precedes a
// delayed add).
func (g *generator) plan() {
	switch g.phase {
	case phaseMain:
		if g.count >= g.mainOps {
			g.phase = phaseShutdown
			g.plan()
			return
		}
		g.planMain()
	case phaseShutdown:
		if g.drain {
			g.pending = append(g.pending, genOp{Op: "shutdown_with_drain"})
		} else {
			g.pending = append(g.pending, genOp{Op: "shutdown"})
		}
		g.phase, g.count = phaseTail, 0
		return
	case phaseTail:
		if g.count >= g.tailOps {
			g.phase = phaseFinal
			g.plan()
			return
		}
		g.planTail()
	case phaseFinal:
		g.planFinal()
		return
	}
	g.count += len(g.pending)
}

func (g *generator) planMain() {
	switch g.weighted(26, 13, 12, 12, 11*b2i(g.qlen > 0), 11, 4, 3, 2) {
	case 0:
		g.pending = append(g.pending, g.stepOp())
	case 1:
		g.planAddAfter(false)
	case 2:
		g.pending = append(g.pending, g.doneOp())
	case 3:
		g.planRateLimited()
	case 4:
		g.pending = append(g.pending, genOp{Op: "get"})
	case 5:
		g.pending = append(g.pending, genOp{Op: "add", Key: g.key()})
	case 6:
		g.pending = append(g.pending, genOp{Op: "forget", Key: g.key()})
	case 7:
		g.pending = append(g.pending, genOp{Op: "num_requeues", Key: g.key()})
	default:
		g.pending = append(g.pending, genOp{Op: "len"})
	}
}

// planTail: ops after the shutdown (Get never blocks any more).
func (g *generator) planTail() {
	switch g.weighted(10, 12, 12, 18, 18, 10, 6, 6, 6) {
	case 0:
		g.pending = append(g.pending, genOp{Op: "add", Key: g.key()})
	case 1:
		g.planAddAfter(true)
	case 2:
		g.planRateLimited()
	case 3:
		g.pending = append(g.pending, genOp{Op: "get"})
	case 4:
		g.pending = append(g.pending, g.doneOp())
	case 5:
		g.pending = append(g.pending, g.stepOp())
	case 6:
		g.pending = append(g.pending, genOp{Op: "forget", Key: g.key()})
	case 7:
		g.pending = append(g.pending, genOp{Op: "num_requeues", Key: g.key()})
	default:
		g.pending = append(g.pending, genOp{Op: "len"})
	}
}

// planFinal gets what is left (then one Get that reports shutdown), lets a
// drain sequence's ShutDown force ShutDownWithDrain, and Dones everything
// still processing (which lets ShutDownWithDrain return).
func (g *generator) planFinal() {
	switch {
	case g.qlen > 0 && g.finalGets < 40:
		g.finalGets++
		g.pending = append(g.pending, genOp{Op: "get"})
	case !g.sawSDGet:
		g.sawSDGet = true
		g.pending = append(g.pending, genOp{Op: "get"})
	case g.force && !g.forced:
		g.forced = true
		g.pending = append(g.pending, genOp{Op: "shutdown"})
	case len(g.processing) > 0:
		p := g.processingKeys()
		g.pending = append(g.pending, genOp{Op: "done", Key: p[g.r.IntN(len(p))]})
	default:
		g.phase = phaseEnd
	}
}

func (g *generator) processingKeys() []string {
	var p []string
	for _, k := range g.keys {
		if g.processing[k] {
			p = append(p, k)
		}
	}
	return p
}

func (g *generator) doneOp() genOp {
	if p := g.processingKeys(); len(p) > 0 && g.r.IntN(100) < 55 {
		return genOp{Op: "done", Key: p[g.r.IntN(len(p))]}
	}
	return genOp{Op: "done", Key: g.key()}
}

// nextReady is the earliest waiting ready time.
func (g *generator) nextReady() (int64, bool) {
	first, ok := int64(0), false
	for _, t := range g.waiting {
		if !ok || t < first {
			first, ok = t, true
		}
	}
	return first, ok
}

func (g *generator) stepOp() genOp {
	next, has := g.nextReady()
	var k int
	if has {
		k = g.weighted(25, 10, 25, 15, 15, 4, 6)
	} else {
		k = 2 + g.weighted(35, 20, 25, 8, 12)
	}
	switch k {
	case 0:
		return genOp{Op: "step", D: next - g.now, DK: "to_next_ready"}
	case 1:
		return genOp{Op: "step", D: next - g.now - 1, DK: "before_next_ready"}
	case 2:
		return genOp{Op: "step", D: (1 + g.r.Int64N(15)) * ms, DK: "small"}
	case 3:
		return genOp{Op: "step", D: 1 + g.r.Int64N(10*ms), DK: "small_ns"}
	case 4:
		return genOp{Op: "step", D: (50 + g.r.Int64N(8000)) * ms, DK: "larger"}
	case 5:
		return genOp{Op: "step", D: (30_000 + g.r.Int64N(1_500_000)) * ms, DK: "huge"}
	default:
		return genOp{Op: "step", D: 0, DK: "zero"}
	}
}

// effective: a delayed add of key ready at t changes the waiting set (the
// key is not waiting, or waits for a later time).
func (g *generator) effective(key string, t int64) bool {
	if g.shutdown || t <= g.now {
		return false
	}
	cur, ok := g.waiting[key]
	return !ok || t < cur
}

// collides: a delayed add of key ready at t (seen from now) would share its
// ready time with another waiting key.
func (g *generator) collides(key string, now, t int64) bool {
	if g.shutdown || t <= now {
		return false
	}
	if cur, ok := g.waiting[key]; ok && cur <= t {
		return false
	}
	for k, w := range g.waiting {
		if k != key && w == t {
			return true
		}
	}
	return false
}

// planAddAfter appends an add_after (after a jitter step on even seeds).
func (g *generator) planAddAfter(tail bool) {
	if g.ties {
		g.pending = append(g.pending, g.addAfterOp(g.now, tail))
		return
	}
	// Even seeds: a 1–999 ns jitter step first, chosen so that the add does
	// not share a ready time with another waiting key.
	var j int64
	var op genOp
	for range 200 {
		j = 1 + g.r.Int64N(999)
		op = g.addAfterOp(g.now+j, tail)
		if !g.collides(op.Key, g.now+j, g.now+j+op.D) {
			break
		}
	}
	g.pending = append(g.pending, genOp{Op: "step", D: j, DK: "jitter"}, op)
}

// addAfterOp picks an add_after as seen from time now.
func (g *generator) addAfterOp(now int64, tail bool) genOp {
	// Waiting keys (sorted), and the distinct ready times.
	var wk []string
	for _, k := range g.keys {
		if t, ok := g.waiting[k]; ok && t > now {
			wk = append(wk, k)
		}
	}
	sameKeyOK := len(wk) > 0
	otherOK := g.ties && len(wk) > 0
	w := []int{6, 3, 20, 10, 20, 4, 40 * b2i(otherOK), 6 * b2i(sameKeyOK), 5 * b2i(sameKeyOK), 4 * b2i(sameKeyOK)}
	if tail {
		w = []int{4, 2, 6, 2, 4, 1, 0, 0, 0, 0}
	}
	switch g.weighted(w...) {
	case 0:
		return genOp{Op: "add_after", Key: g.key(), D: 0, DK: "zero"}
	case 1:
		d := -(1 + g.r.Int64N(20)) * ms
		if g.r.IntN(2) == 0 {
			d = -(1 + g.r.Int64N(5*ms))
		}
		return genOp{Op: "add_after", Key: g.key(), D: d, DK: "negative"}
	case 2:
		return genOp{Op: "add_after", Key: g.key(), D: (1 + g.r.Int64N(20)) * ms, DK: "small"}
	case 3:
		return genOp{Op: "add_after", Key: g.key(), D: 1 + g.r.Int64N(10*ms), DK: "small_ns"}
	case 4:
		return genOp{Op: "add_after", Key: g.key(), D: (100 + g.r.Int64N(25_000)) * ms, DK: "larger"}
	case 5:
		return genOp{Op: "add_after", Key: g.key(), D: (30_000 + g.r.Int64N(2_000_000)) * ms, DK: "huge"}
	case 6:
		return g.equalOtherKey(now, wk)
	}
	// Same-key kinds: key is a waiting key.
	k := wk[g.r.IntN(len(wk))]
	cur := g.waiting[k]
	switch {
	case g.r.IntN(3) == 0 && cur-now >= 2:
		// earlier_same_key, often a ms step earlier.
		var t int64
		if cur-now > 2*ms && g.r.IntN(2) == 0 {
			t = cur - (1+g.r.Int64N((cur-now-1)/ms))*ms
		} else {
			t = now + 1 + g.r.Int64N(cur-now-1)
		}
		return genOp{Op: "add_after", Key: k, D: t - now, DK: "earlier_same_key"}
	case g.r.IntN(2) == 0:
		return genOp{Op: "add_after", Key: k, D: cur - now, DK: "equal_same_key"}
	default:
		return genOp{Op: "add_after", Key: k, D: cur - now + 1 + g.r.Int64N(50*ms), DK: "later_same_key"}
	}
}

// equalOtherKey aims an add_after at another waiting key's ready time:
// preferring times several keys already share (3+ key ties) and keys that
// wait for a later time (heap.Fix onto a tie).
func (g *generator) equalOtherKey(now int64, wk []string) genOp {
	byTime := map[int64]int{}
	for _, k := range wk {
		byTime[g.waiting[k]]++
	}
	var times []int64
	for t := range byTime {
		times = append(times, t)
	}
	slices.Sort(times)
	target := times[g.r.IntN(len(times))]
	if g.r.IntN(100) < 60 {
		for _, t := range times {
			if byTime[t] > byTime[target] {
				target = t
			}
		}
	}
	var later, free []string
	for _, k := range g.keys {
		t, ok := g.waiting[k]
		switch {
		case !ok || t <= now:
			free = append(free, k)
		case t > target:
			later = append(later, k)
		}
	}
	var k string
	switch {
	case len(later) > 0 && (len(free) == 0 || g.r.IntN(100) < 40):
		k = later[g.r.IntN(len(later))]
	case len(free) > 0:
		k = free[g.r.IntN(len(free))]
	default:
		k = g.key()
	}
	return genOp{Op: "add_after", Key: k, D: target - now, DK: "equal_other_key"}
}

// planRateLimited appends an add_rate_limited (after a jitter step on even
// seeds, chosen with the limiter's predicted When so that no tie occurs).
func (g *generator) planRateLimited() {
	k := g.key()
	if g.ties {
		g.pending = append(g.pending, genOp{Op: "add_rate_limited", Key: k})
		return
	}
	var j int64
	for range 200 {
		j = 1 + g.r.Int64N(999)
		if g.shutdown || g.predict == nil {
			break
		}
		d := g.predict(k, g.now+j)
		if d <= 0 || !g.collides(k, g.now+j, g.now+j+d) {
			break
		}
	}
	g.pending = append(g.pending, genOp{Op: "step", D: j, DK: "jitter"}, genOp{Op: "add_rate_limited", Key: k})
}

// Observe updates the model after op ran; it returns whether a delayed add
// shares its ready time with another waiting key (the "tie" field).
func (g *generator) Observe(op genOp, obs genObs) (tie bool) {
	switch op.Op {
	case "add_after":
		tie = g.noteDelayed(op.Key, obs.Now, op.D)
	case "add_rate_limited":
		tie = g.noteDelayed(op.Key, obs.Now, obs.Delay)
	case "get":
		if !obs.Shutdown {
			g.processing[obs.Result] = true
		}
	case "done":
		delete(g.processing, op.Key)
	case "shutdown", "shutdown_with_drain":
		g.shutdown = true
		clear(g.waiting)
	}
	g.now = obs.Now
	for k, t := range g.waiting {
		if t <= g.now {
			delete(g.waiting, k)
		}
	}
	g.qlen = obs.Len
	return tie
}

func (g *generator) noteDelayed(key string, now, d int64) bool {
	if g.shutdown || d <= 0 {
		return false
	}
	t := now + d
	if !g.effective(key, t) {
		return false
	}
	tie := g.collides(key, now, t)
	g.waiting[key] = t
	return tie
}
