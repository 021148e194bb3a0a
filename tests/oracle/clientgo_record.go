package main

// Running one generated sequence on the real client-go rate-limiting queue
// (fake clock, recording FIFO, recording limiter) and writing what it
// returned after every op as one jsonl line.

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/client-go/util/workqueue"
	testingclock "k8s.io/utils/clock/testing"
)

// fakeStart is the fake clock's start; "now" is recorded relative to it.
var fakeStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// recordingFIFO is the queue's storage: client-go's slice FIFO (Touch does
// nothing, Push appends, Pop takes the front), readable for the "fifo" field.
// client-go calls it under the queue's lock; mu guards our reads too.
type recordingFIFO struct {
	mu    sync.Mutex
	items []string
}

var _ workqueue.Queue[string] = (*recordingFIFO)(nil)

func (f *recordingFIFO) Touch(string) {}

func (f *recordingFIFO) Push(item string) {
	f.mu.Lock()
	f.items = append(f.items, item)
	f.mu.Unlock()
}

func (f *recordingFIFO) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.items)
}

func (f *recordingFIFO) Pop() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	item := f.items[0]
	f.items = f.items[1:]
	return item
}

func (f *recordingFIFO) snapshot() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.items...)
}

// shutDownWithDrainWorker runs ShutDownWithDrain (which blocks until nothing
// is processing) and then sets done. settle.go finds it by this name.
func shutDownWithDrainWorker(q workqueue.TypedRateLimitingInterface[string], done *atomic.Bool) {
	q.ShutDownWithDrain()
	done.Store(true)
}

// opRecord is one recorded op; has* say which optional fields are written.
type opRecord struct {
	i        int
	op       genOp
	hasKey   bool
	hasD     bool
	delay    int64
	hasDelay bool
	n        int
	hasN     bool
	result   string
	sd       bool
	isGet    bool
	spurious bool
	tie      bool
	len      int
	nr       int
	hasNR    bool
	now      int64
	fifo     []string
	drained  bool
	hasDrain bool
}

// appendJSON writes the op with the shared corpus' field order and omissions.
func (r *opRecord) appendJSON(b []byte) []byte {
	b = append(b, `{"i":`...)
	b = strconv.AppendInt(b, int64(r.i), 10)
	b = append(b, `,"op":"`...)
	b = append(b, r.op.Op...)
	b = append(b, '"')
	if r.hasKey {
		b = appendStr(b, "key", r.op.Key)
	}
	if r.hasD {
		b = appendInt(b, "d", r.op.D)
		b = appendStr(b, "dk", r.op.DK)
	}
	if r.hasDelay {
		b = appendInt(b, "delay", r.delay)
	}
	if r.hasN {
		b = appendInt(b, "n", int64(r.n))
	}
	if r.isGet {
		if !r.sd {
			b = appendStr(b, "result", r.result)
		}
		b = appendBool(b, "shutdown", r.sd)
	}
	if r.spurious {
		b = appendBool(b, "spurious", true)
	}
	if r.tie {
		b = appendBool(b, "tie", true)
	}
	b = appendInt(b, "len", int64(r.len))
	if r.hasNR {
		b = appendInt(b, "nr", int64(r.nr))
	}
	b = appendInt(b, "now", r.now)
	b = append(b, `,"fifo":[`...)
	for i, k := range r.fifo {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"')
	}
	b = append(b, ']')
	if r.hasDrain {
		b = appendBool(b, "drained", r.drained)
	}
	return append(b, '}')
}

// appendStr appends ,"name":"v" (keys and labels never need escaping).
func appendStr(b []byte, name, v string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, `":"`...)
	b = append(b, v...)
	return append(b, '"')
}

func appendBool(b []byte, name string, v bool) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendBool(b, v)
}

// recordOptions: noSettle skips settling after ops (only to show that
// recordings then differ; the sequence end still waits for the goroutines).
type recordOptions struct {
	gen      genConfig
	noSettle bool
}

// recordQueueSeq runs seed's sequence on a fresh queue and appends its line.
func recordQueueSeq(b []byte, seed int64, opts recordOptions, sc *stackScanner) ([]byte, error) {
	spec := limiterForSeed(seed)
	clk := testingclock.NewFakeClock(fakeStart)
	fifo := &recordingFIFO{}
	lim := newRecordingLimiter(spec, clk, fakeStart)

	// Stale goroutines of a previous queue would make the stack matching ambiguous.
	if err := sc.waitGone(); err != nil {
		return b, err
	}
	q := workqueue.NewTypedRateLimitingQueueWithConfig[string](lim, workqueue.TypedRateLimitingQueueConfig[string]{
		Clock: clk,
		DelayingQueue: workqueue.NewTypedDelayingQueueWithConfig(workqueue.TypedDelayingQueueConfig[string]{
			Clock: clk,
			Queue: workqueue.NewTypedWithConfig(workqueue.TypedQueueConfig[string]{
				Clock: clk,
				Queue: fifo,
			}),
		}),
	})
	var drained atomic.Bool
	st := settleState{drainDone: drained.Load}
	observe := func() observable {
		return observable{len: q.Len(), fifo: fifo.snapshot(), drained: drained.Load()}
	}
	// Whatever happens, end the queue's goroutines before the next sequence.
	defer func() {
		q.ShutDown()
	}()
	if err := sc.waitIdle(st, time.Now().Add(settleTimeout)); err != nil {
		return b, fmt.Errorf("seed %d: new queue: %w", seed, err)
	}

	g := newGenerator(seed, opts.gen, lim.predict)
	b = append(b, `{"seed":`...)
	b = strconv.AppendInt(b, seed, 10)
	b = append(b, `,"kind":"queue","limiter":`...)
	b = spec.appendJSON(b)
	b = appendInt(b, "keys", int64(len(g.keys)))
	b = appendBool(b, "ties", g.ties)
	b = append(b, `,"ops":[`...)

	processing := map[string]bool{}
	shuttingDown := false
	for i := 0; ; i++ {
		op, ok := g.Next()
		if !ok {
			break
		}
		rec := opRecord{i: i, op: op}
		involved := false // the op may wake the waiting loop or the drain goroutine
		switch op.Op {
		case "add":
			rec.hasKey = true
			q.Add(op.Key)
		case "add_after":
			rec.hasKey, rec.hasD = true, true
			q.AddAfter(op.Key, time.Duration(op.D))
			involved = op.D > 0 && !shuttingDown
		case "add_rate_limited":
			rec.hasKey = true
			q.AddRateLimited(op.Key)
			d, ok := lim.takeWhen()
			if !ok {
				return b, fmt.Errorf("seed %d op %d: AddRateLimited did not call When exactly once", seed, i)
			}
			rec.delay, rec.hasDelay = int64(d), true
			involved = d > 0 && !shuttingDown
		case "forget":
			rec.hasKey = true
			q.Forget(op.Key)
		case "num_requeues":
			rec.hasKey = true
			rec.n, rec.hasN = q.NumRequeues(op.Key), true
		case "len":
			rec.n, rec.hasN = q.Len(), true
		case "get":
			if !shuttingDown && q.Len() == 0 {
				return b, fmt.Errorf("seed %d op %d: Get on an empty queue would block", seed, i)
			}
			rec.isGet = true
			rec.result, rec.sd = q.Get()
			if !rec.sd {
				processing[rec.result] = true
			}
		case "done":
			rec.hasKey = true
			rec.spurious = !processing[op.Key]
			delete(processing, op.Key)
			q.Done(op.Key)
		case "step":
			rec.hasD = true
			clk.Step(time.Duration(op.D))
			involved = op.D > 0
		case "shutdown":
			q.ShutDown()
			shuttingDown, st.loopMayExit = true, true
			involved = true
		case "shutdown_with_drain":
			go shutDownWithDrainWorker(q, &drained)
			shuttingDown, st.loopMayExit, st.drainStarted = true, true, true
			involved = true
		default:
			return b, fmt.Errorf("unknown op %q", op.Op)
		}
		// Once ShutDownWithDrain runs, every op settles it (Done wakes it).
		if st.drainStarted {
			involved = true
		}
		if !opts.noSettle {
			var err error
			if involved {
				err = sc.settle(st, observe)
			} else {
				err = sc.waitIdle(st, time.Now().Add(settleTimeout))
			}
			if err != nil {
				return b, fmt.Errorf("seed %d op %d (%s): %w", seed, i, op.Op, err)
			}
		}
		rec.len = q.Len()
		if rec.hasKey {
			rec.nr, rec.hasNR = q.NumRequeues(op.Key), true
		} else if rec.isGet && !rec.sd {
			rec.nr, rec.hasNR = q.NumRequeues(rec.result), true
		}
		rec.now = clk.Since(fakeStart).Nanoseconds()
		rec.fifo = fifo.snapshot()
		if st.drainStarted {
			rec.drained, rec.hasDrain = drained.Load(), true
		}
		rec.tie = g.Observe(op, genObs{Len: rec.len, Now: rec.now, Delay: rec.delay, Result: rec.result, Shutdown: rec.sd})
		if i > 0 {
			b = append(b, ',')
		}
		b = rec.appendJSON(b)
	}
	b = append(b, "]}\n"...)
	// End the waiting loop (and a ShutDownWithDrain still waiting) and wait
	// until both goroutines have exited.
	q.ShutDown()
	if err := sc.waitGone(); err != nil {
		return b, fmt.Errorf("seed %d: %w", seed, err)
	}
	return b, nil
}
