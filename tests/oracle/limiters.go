package main

// Limiter specs (what a recorded line's "limiter" object says), the client-go
// limiters they build, the token bucket on the fake clock, and the wrapper
// that records what When returned.

import (
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"
)

// limiterSpec describes one rate limiter; it is written to the "limiter"
// field and replayed by the Rust side. Durations are written in ns.
type limiterSpec struct {
	Type    string // exp | fastslow | bucket | maxof | maxwait | default_controller
	Base    time.Duration
	Max     time.Duration // exp: maxDelay; maxwait: maxDelay
	Fast    time.Duration
	Slow    time.Duration
	MaxFast int
	QPS     float64
	Burst   int
	Of      []limiterSpec // maxof: the limiters; maxwait: the one inner limiter
}

func expSpec(base, max time.Duration) limiterSpec {
	return limiterSpec{Type: "exp", Base: base, Max: max}
}

func fastSlowSpec(fast, slow time.Duration, maxFast int) limiterSpec {
	return limiterSpec{Type: "fastslow", Fast: fast, Slow: slow, MaxFast: maxFast}
}

func bucketSpec(qps float64, burst int) limiterSpec {
	return limiterSpec{Type: "bucket", QPS: qps, Burst: burst}
}

func maxOfSpec(of ...limiterSpec) limiterSpec {
	return limiterSpec{Type: "maxof", Of: of}
}

func maxWaitSpec(inner limiterSpec, max time.Duration) limiterSpec {
	return limiterSpec{Type: "maxwait", Of: []limiterSpec{inner}, Max: max}
}

func defaultControllerSpec() limiterSpec {
	return limiterSpec{Type: "default_controller"}
}

// appendJSON writes the spec with the shared corpus' key order.
func (s limiterSpec) appendJSON(b []byte) []byte {
	b = append(b, `{"type":"`...)
	b = append(b, s.Type...)
	b = append(b, '"')
	switch s.Type {
	case "exp":
		b = appendInt(b, "base", int64(s.Base))
		b = appendInt(b, "max", int64(s.Max))
	case "fastslow":
		b = appendInt(b, "fast", int64(s.Fast))
		b = appendInt(b, "slow", int64(s.Slow))
		b = appendInt(b, "max_fast", int64(s.MaxFast))
	case "bucket":
		b = append(b, `,"qps":`...)
		b = strconv.AppendFloat(b, s.QPS, 'g', -1, 64)
		b = appendInt(b, "burst", int64(s.Burst))
	case "maxwait":
		b = appendInt(b, "max", int64(s.Max))
		b = appendOf(b, s.Of)
	case "maxof":
		b = appendOf(b, s.Of)
	case "default_controller":
	default:
		panic("unknown limiter type " + s.Type)
	}
	return append(b, '}')
}

func appendOf(b []byte, of []limiterSpec) []byte {
	b = append(b, `,"of":[`...)
	for i, o := range of {
		if i > 0 {
			b = append(b, ',')
		}
		b = o.appendJSON(b)
	}
	return append(b, ']')
}

// build returns the limiter the spec describes: client-go's own constructors,
// except that token buckets read clk (see fakeBucket).
func (s limiterSpec) build(clk clock.PassiveClock) workqueue.TypedRateLimiter[string] {
	switch s.Type {
	case "exp":
		return workqueue.NewTypedItemExponentialFailureRateLimiter[string](s.Base, s.Max)
	case "fastslow":
		return workqueue.NewTypedItemFastSlowRateLimiter[string](s.Fast, s.Slow, s.MaxFast)
	case "bucket":
		return newFakeBucket(s.QPS, s.Burst, clk)
	case "maxof":
		ls := make([]workqueue.TypedRateLimiter[string], len(s.Of))
		for i, o := range s.Of {
			ls[i] = o.build(clk)
		}
		return workqueue.NewTypedMaxOfRateLimiter(ls...)
	case "maxwait":
		return workqueue.NewTypedWithMaxWaitRateLimiter(s.Of[0].build(clk), s.Max)
	case "default_controller":
		// = workqueue.DefaultTypedControllerRateLimiter, with its bucket on the fake clock.
		return workqueue.NewTypedMaxOfRateLimiter(
			workqueue.NewTypedItemExponentialFailureRateLimiter[string](5*time.Millisecond, 1000*time.Second),
			newFakeBucket(10, 100, clk),
		)
	}
	panic("unknown limiter type " + s.Type)
}

// fakeBucket is client-go's TypedBucketRateLimiter on a fake clock.
// TypedBucketRateLimiter.When is Limiter.Reserve().Delay(), which reads
// time.Now() twice (ReserveN(time.Now(), 1) and DelayFrom(time.Now())); a
// fake clock cannot reach that, so fakeBucket does the same computation with
// the fake clock's time: ReserveN(now, 1).DelayFrom(now). NumRequeues is 0 and
// Forget does nothing, as in client-go.
type fakeBucket struct {
	lim *rate.Limiter
	clk clock.PassiveClock
}

var _ workqueue.TypedRateLimiter[string] = (*fakeBucket)(nil)

func newFakeBucket(qps float64, burst int, clk clock.PassiveClock) *fakeBucket {
	return &fakeBucket{lim: rate.NewLimiter(rate.Limit(qps), burst), clk: clk}
}

func (b *fakeBucket) When(string) time.Duration {
	now := b.clk.Now()
	return b.lim.ReserveN(now, 1).DelayFrom(now)
}

func (b *fakeBucket) NumRequeues(string) int { return 0 }

func (b *fakeBucket) Forget(string) {}

// limiterCall is one state-changing call on a limiter: When(key) at fake time
// t (ns since start), or Forget(key).
type limiterCall struct {
	forget bool
	key    string
	t      int64
}

// recordingLimiter wraps the queue's limiter: it remembers what the last When
// returned (AddRateLimited calls When exactly once) and logs every When and
// Forget so that predict can replay them on a fresh limiter.
type recordingLimiter struct {
	inner workqueue.TypedRateLimiter[string]
	spec  limiterSpec
	clk   clock.PassiveClock
	start time.Time

	mu       sync.Mutex
	whens    int
	lastWhen time.Duration
	log      []limiterCall
}

var _ workqueue.TypedRateLimiter[string] = (*recordingLimiter)(nil)

func newRecordingLimiter(spec limiterSpec, clk clock.PassiveClock, start time.Time) *recordingLimiter {
	return &recordingLimiter{inner: spec.build(clk), spec: spec, clk: clk, start: start}
}

func (l *recordingLimiter) When(key string) time.Duration {
	t := l.clk.Now().Sub(l.start).Nanoseconds()
	d := l.inner.When(key)
	l.mu.Lock()
	l.whens++
	l.lastWhen = d
	l.log = append(l.log, limiterCall{key: key, t: int64(t)})
	l.mu.Unlock()
	return d
}

func (l *recordingLimiter) Forget(key string) {
	l.inner.Forget(key)
	l.mu.Lock()
	l.log = append(l.log, limiterCall{forget: true, key: key})
	l.mu.Unlock()
}

func (l *recordingLimiter) NumRequeues(key string) int { return l.inner.NumRequeues(key) }

// takeWhen returns the When result since the last takeWhen; ok is false
// unless When was called exactly once.
func (l *recordingLimiter) takeWhen() (d time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d, ok = l.lastWhen, l.whens == 1
	l.whens = 0
	return d, ok
}

// predict returns what When(key) would return at fake time at (ns since
// start) without touching the real limiter: it builds a fresh limiter from
// the spec and replays the logged calls on it. The generator uses it to pick
// jitter steps that keep ready times apart on even seeds.
func (l *recordingLimiter) predict(key string, at int64) int64 {
	clk := testingclock.NewFakePassiveClock(l.start)
	fresh := l.spec.build(clk)
	l.mu.Lock()
	log := append([]limiterCall(nil), l.log...)
	l.mu.Unlock()
	for _, c := range log {
		if c.forget {
			fresh.Forget(c.key)
			continue
		}
		clk.SetTime(l.start.Add(time.Duration(c.t)))
		fresh.When(c.key)
	}
	clk.SetTime(l.start.Add(time.Duration(at)))
	return int64(fresh.When(key))
}

// limiterForSeed picks the queue sequence's limiter from the seed.
func limiterForSeed(seed int64) limiterSpec {
	v := seed / 8 % 2
	switch ((seed % 8) + 8) % 8 {
	case 0:
		return expSpec(5*time.Millisecond, 1000*time.Second)
	case 1:
		return expSpec(time.Millisecond, 100*time.Millisecond)
	case 2:
		return fastSlowSpec(time.Millisecond, 10*time.Second, 3)
	case 3:
		if v == 0 {
			return maxOfSpec(expSpec(5*time.Millisecond, 1000*time.Second), fastSlowSpec(time.Millisecond, 10*time.Second, 3))
		}
		return maxOfSpec(expSpec(time.Millisecond, 100*time.Millisecond), bucketSpec(5, 2))
	case 4:
		if v == 0 {
			return maxWaitSpec(expSpec(5*time.Millisecond, 1000*time.Second), time.Second)
		}
		return maxWaitSpec(expSpec(time.Millisecond, 1000*time.Second), 200*time.Millisecond)
	case 5:
		if v == 0 {
			return bucketSpec(10, 3)
		}
		return bucketSpec(3.3, 5)
	case 6:
		return defaultControllerSpec()
	default:
		if v == 0 {
			return maxOfSpec(expSpec(time.Millisecond, 100*time.Millisecond), bucketSpec(5, 2))
		}
		return fastSlowSpec(2*time.Millisecond, 3*time.Second, 5)
	}
}

// appendInt appends ,"name":v.
func appendInt(b []byte, name string, v int64) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, v, 10)
}
