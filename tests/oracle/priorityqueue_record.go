package main

// The recording half of `oracle priorityqueue`: builds the REAL
// controller-runtime priority queue on a k8s.io/utils fake clock, settles it
// after every operation and snapshots everything observable (and the
// ordering of its trees) as JSON.
//
// Injection. priorityqueue.New offers no clock option: its tests assign the
// unexported fields `now` and `tick` (newQueueWithTimeForwarder) from inside
// the package. From outside we do the same assignment through reflect+unsafe,
// right after New and before the first operation (the goroutines New starts
// read those fields only after an add's channel send, which orders our write
// before their reads). The metrics are the real defaultQueueMetrics and the
// real depthWithPriorityMetric (priority label, cardinality cap); only their
// sinks are swapped for recording ones (the counters, histograms and the
// gauge vector behind the depth metric), and their clock, which New sets to
// clock.RealClock{}, is pointed at the fake clock so latencies are
// deterministic. (The unfinished-work loop reads that clock from a 500 ms
// wall-clock ticker, long after the swap; its gauges are not recorded.)
//
// Reading state. Introspection takes the queue's own lock (w.lock,
// w.lockedLock, w.addBufferLock) through unsafe pointers and only reads.

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
)

// pqEpoch is the fake clock's start; recorded times are ns since it.
var pqEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// field returns a settable view of the (possibly unexported) field name of
// the addressable struct value v.
func field(v reflect.Value, name string) reflect.Value {
	f := v.FieldByName(name)
	if !f.IsValid() {
		panic("priorityqueue internals changed: no field " + name)
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// mutexOf returns the sync.Mutex stored in field name of v.
func mutexOf(v reflect.Value, name string) *sync.Mutex {
	return (*sync.Mutex)(unsafe.Pointer(field(v, name).UnsafeAddr()))
}

// recCounter is a workqueue.CounterMetric that remembers its value.
type recCounter struct{ n atomic.Int64 }

func (c *recCounter) Inc() { c.n.Add(1) }

// recHistogram is a workqueue.HistogramMetric keeping count, sum and the
// last observation (observations arrive under the queue's lock, in order).
type recHistogram struct {
	mu    sync.Mutex
	count int64
	sum   float64
}

func (h *recHistogram) Observe(v float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count++
	h.sum += v
}

// recGauge is the prometheus.Gauge the depth metric's vector hands out; the
// depth metric only calls Inc and Dec (the embedded nil interface supplies
// the rest of the method set and would panic if used).
type recGauge struct {
	prometheus.Gauge
	v atomic.Int64
}

func (g *recGauge) Inc() { g.v.Add(1) }
func (g *recGauge) Dec() { g.v.Add(-1) }

// recGaugeVec stands in for the internal `depth` GaugeVec: one gauge per
// priority label (the last label value), created on first use as in
// Prometheus.
type recGaugeVec struct {
	mu sync.Mutex
	m  map[string]*recGauge
}

func (v *recGaugeVec) WithLabelValues(lvs ...string) prometheus.Gauge {
	v.mu.Lock()
	defer v.mu.Unlock()
	label := lvs[len(lvs)-1]
	g, ok := v.m[label]
	if !ok {
		g = &recGauge{}
		v.m[label] = g
	}
	return g
}

func (v *recGaugeVec) snapshot() map[string]int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string]int64, len(v.m))
	for k, g := range v.m {
		out[k] = g.v.Load()
	}
	return out
}

// pqHarness is one real priority queue with its fake clock and sinks.
type pqHarness struct {
	q             priorityqueue.PriorityQueue[string]
	v             reflect.Value // *priorityqueue[string], dereferenced
	clock         *clocktesting.FakeClock
	adds, retries *recCounter
	latency, work *recHistogram
	depth         *recGaugeVec
	shutdown      bool
}

func newPQHarness(name string, limiter workqueue.TypedRateLimiter[string]) *pqHarness {
	h := &pqHarness{
		clock:   clocktesting.NewFakeClock(pqEpoch),
		adds:    &recCounter{},
		retries: &recCounter{},
		latency: &recHistogram{},
		work:    &recHistogram{},
		depth:   &recGaugeVec{m: map[string]*recGauge{}},
	}
	h.q = priorityqueue.New(name, func(o *priorityqueue.Opts[string]) {
		o.RateLimiter = limiter
	})
	h.v = reflect.ValueOf(h.q).Elem()
	// What the package's own tests do with q.now / q.tick.
	field(h.v, "now").Set(reflect.ValueOf(h.clock.Now))
	field(h.v, "tick").Set(reflect.ValueOf(h.clock.Tick))
	// The real defaultQueueMetrics, with recording sinks and the fake clock.
	m := field(h.v, "metrics").Elem().Elem()
	field(m, "clock").Set(reflect.ValueOf(h.clock))
	field(m, "adds").Set(reflect.ValueOf(h.adds))
	field(m, "retries").Set(reflect.ValueOf(h.retries))
	field(m, "latency").Set(reflect.ValueOf(h.latency))
	field(m, "workDuration").Set(reflect.ValueOf(h.work))
	dwp := field(m, "depthWithPriority")
	if dwp.IsNil() {
		panic("expected the priority-labelled depth metric")
	}
	field(dwp.Elem().Elem(), "depth").Set(reflect.ValueOf(h.depth))
	return h
}

// pqState is everything recorded after an operation.
type pqState struct {
	Len             int      `json:"len"`
	Now             int64    `json:"now"`
	Ready           [][2]any `json:"ready"`   // [key, priority] in hand-out order
	Waiting         [][3]any `json:"waiting"` // [key, priority, readyAt ns] in release order
	Locked          []string `json:"locked"`  // sorted
	AddedCounter    uint64   `json:"ac"`
	Requeues        []int    `json:"requeues"` // NumRequeues of every key
	pqMetricsRecord          // flattened: adds, retries, depth, lat_n, lat_sum, work_n, work_sum
}

// pqMetricsRecord: the sums are strings (shortest round-trip form) so any
// reader parses them back to the exact float64, whatever its JSON library.
type pqMetricsRecord struct {
	Adds     int64            `json:"adds"`
	Retries  int64            `json:"retries"`
	Depth    map[string]int64 `json:"depth"`
	LatCount int64            `json:"lat_n"`
	LatSum   string           `json:"lat_sum"` // exact: strconv 'g' -1

	WorkN   int64  `json:"work_n"`
	WorkSum string `json:"work_sum"`
}

type pqItem struct {
	key      string
	counter  uint64
	priority int64
	readyAt  *time.Time
}

// items reads w.items under w.lock; also returns waiters and addedCounter.
func (h *pqHarness) items() (ready, waiting []pqItem, waiters int64, added uint64) {
	mu := mutexOf(h.v, "lock")
	mu.Lock()
	defer mu.Unlock()
	it := field(h.v, "items").MapRange()
	for it.Next() {
		e := it.Value().Elem()
		x := pqItem{
			key:      e.FieldByName("Key").String(),
			counter:  e.FieldByName("AddedCounter").Uint(),
			priority: e.FieldByName("Priority").Int(),
		}
		if ra := e.FieldByName("ReadyAt"); !ra.IsNil() {
			t := field(e, "ReadyAt").Interface().(*time.Time)
			c := *t
			x.readyAt = &c
			waiting = append(waiting, x)
		} else {
			ready = append(ready, x)
		}
	}
	waiters = field(h.v, "waiters").Int()
	added = field(h.v, "addedCounter").Uint()
	lessReady := func(a, b pqItem) bool {
		if a.priority != b.priority {
			return a.priority > b.priority
		}
		return a.counter < b.counter
	}
	sort.Slice(ready, func(i, j int) bool { return lessReady(ready[i], ready[j]) })
	sort.Slice(waiting, func(i, j int) bool {
		a, b := waiting[i], waiting[j]
		if !a.readyAt.Equal(*b.readyAt) {
			return a.readyAt.Before(*b.readyAt)
		}
		return lessReady(a, b)
	})
	return
}

func (h *pqHarness) locked() []string {
	mu := mutexOf(h.v, "lockedLock")
	mu.Lock()
	defer mu.Unlock()
	var out []string
	for _, k := range field(h.v, "locked").MapKeys() {
		out = append(out, k.String())
	}
	sort.Strings(out)
	return out
}

// gettable reports whether a Get would return at once: shut down, or a
// ready item whose key is not locked.
func (h *pqHarness) gettable() bool {
	if h.q.ShuttingDown() {
		return true
	}
	ready, _, _, _ := h.items()
	locked := map[string]bool{}
	for _, k := range h.locked() {
		locked[k] = true
	}
	for _, it := range ready {
		if !locked[it.key] {
			return true
		}
	}
	return false
}

func (h *pqHarness) snapshot(keys []string) (pqState, error) {
	ready, waiting, waiters, added := h.items()
	if waiters != 0 {
		return pqState{}, fmt.Errorf("a waiter is registered after settling (waiters=%d)", waiters)
	}
	s := pqState{
		Len:          h.q.Len(),
		Now:          h.clock.Since(pqEpoch).Nanoseconds(),
		Ready:        [][2]any{},
		Waiting:      [][3]any{},
		Locked:       h.locked(),
		AddedCounter: added,
	}
	if s.Locked == nil {
		s.Locked = []string{}
	}
	for _, it := range ready {
		s.Ready = append(s.Ready, [2]any{it.key, it.priority})
	}
	for _, it := range waiting {
		s.Waiting = append(s.Waiting, [3]any{it.key, it.priority, it.readyAt.Sub(pqEpoch).Nanoseconds()})
	}
	for _, k := range keys {
		s.Requeues = append(s.Requeues, h.q.NumRequeues(k))
	}
	h.latency.mu.Lock()
	h.work.mu.Lock()
	s.pqMetricsRecord = pqMetricsRecord{
		Adds:     h.adds.n.Load(),
		Retries:  h.retries.n.Load(),
		Depth:    h.depth.snapshot(),
		LatCount: h.latency.count,
		LatSum:   strconv.FormatFloat(h.latency.sum, 'g', -1, 64),
		WorkN:    h.work.count,
		WorkSum:  strconv.FormatFloat(h.work.sum, 'g', -1, 64),
	}
	h.work.mu.Unlock()
	h.latency.mu.Unlock()
	return s, nil
}

// pqLoops are the queue goroutines whose work changes its state.
var pqLoops = []string{").handleAddBuffer(", ").handleReadyItems(", ").handleWaitingItems("}

// loopStates returns, per loop goroutine found, whether it is parked in its
// top-level select (and not inside its locked closure, e.g. sending an
// item to a waiter).
func loopStates() (found int, parked int) {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		text := string(g)
		loop := false
		for _, name := range pqLoops {
			if strings.Contains(text, name) {
				loop = true
			}
		}
		if !loop {
			continue
		}
		found++
		header, _, _ := strings.Cut(text, "\n")
		state := header[strings.Index(header, "[")+1:]
		if strings.HasPrefix(state, "select") && !strings.Contains(text, "Items.func") &&
			!strings.Contains(text, "Buffer.func") {
			parked++
		}
	}
	return found, parked
}

// quiet reports whether nothing is pending: before shutdown the three loop
// goroutines are parked in their select, their wake-up channels are empty
// and the add buffer is empty; after shutdown the loops have exited.
func (h *pqHarness) quiet() bool {
	found, parked := loopStates()
	if h.shutdown {
		return found == 0
	}
	if found != len(pqLoops) || parked != found {
		return false
	}
	for _, ch := range []string{"itemAddedToAddBuffer", "readyItemOrWaiterAdded", "waitingItemAddedOrUpdated"} {
		if field(h.v, ch).Len() != 0 {
			return false
		}
	}
	mu := mutexOf(h.v, "addBufferLock")
	mu.Lock()
	pending := field(h.v, "addBuffer").Len()
	mu.Unlock()
	return pending == 0
}

// settle waits until the queue is quiet, then requires the whole recorded
// state to stay unchanged over `sleeps` 1 ms sleeps (a second line of
// defence against work the goroutine check could miss).
func (h *pqHarness) settle(keys []string, sleeps int) (pqState, error) {
	deadline := time.Now().Add(10 * time.Second)
	for !h.quiet() {
		if time.Now().After(deadline) {
			return pqState{}, fmt.Errorf("queue did not settle within 10s")
		}
		runtime.Gosched()
		time.Sleep(20 * time.Microsecond)
	}
	s, err := h.snapshot(keys)
	if err != nil {
		return s, err
	}
	for range sleeps {
		time.Sleep(time.Millisecond)
		again, err := h.snapshot(keys)
		if err != nil {
			return s, err
		}
		if !reflect.DeepEqual(s, again) {
			return s, fmt.Errorf("state changed after settling:\n  %+v\n  %+v", s, again)
		}
	}
	return s, nil
}

// get calls GetWithPriority with a bounded wait: callers only call it when
// an unlocked ready item exists or the queue is shut down, so blocking is a
// harness bug and fails loudly.
func (h *pqHarness) get() (string, int, bool, error) {
	type res struct {
		key      string
		priority int
		shutdown bool
	}
	out := make(chan res, 1)
	go func() {
		k, p, s := h.q.GetWithPriority()
		out <- res{k, p, s}
	}()
	select {
	case r := <-out:
		return r.key, r.priority, r.shutdown, nil
	case <-time.After(10 * time.Second):
		return "", 0, false, fmt.Errorf("GetWithPriority blocked for 10s although an item was ready")
	}
}
