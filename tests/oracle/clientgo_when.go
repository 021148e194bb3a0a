package main

// Limiter-only sequences (kind "when_seq", negative seeds): When calls on a
// limiter alone at given fake times, with NumRequeues after each, and some
// Forget calls in between (entries with "op":"forget" and no delay).

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	testingclock "k8s.io/utils/clock/testing"
)

// whenCall is one call: When(key) at t, or Forget(key) at t.
type whenCall struct {
	t      int64
	key    string
	forget bool
}

type whenSeq struct {
	seed  int64
	spec  limiterSpec
	keys  int
	calls []whenCall
}

// whenSeqs returns the fixed list of limiter-only sequences.
func whenSeqs() []whenSeq {
	var out []whenSeq
	add := func(spec limiterSpec, keys int, calls []whenCall) {
		out = append(out, whenSeq{seed: -int64(len(out) + 1), spec: spec, keys: keys, calls: calls})
	}
	rnd := func(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 0x7768656e)) } // "when"
	// n calls on k0, the i-th at t(i).
	oneKey := func(n int, t func(i int) int64) []whenCall {
		c := make([]whenCall, n)
		for i := range c {
			c[i] = whenCall{t: t(i), key: "k0"}
		}
		return c
	}
	spaced := func(step int64) func(int) int64 { return func(i int) int64 { return int64(i) * step } }
	randomTimes := func(seed int64, n int, maxGap int64) []int64 {
		r := rnd(seed)
		ts := make([]int64, n)
		for i := 1; i < n; i++ {
			ts[i] = ts[i-1] + r.Int64N(maxGap+1)
		}
		return ts
	}
	fromTimes := func(ts []int64) func(int) int64 { return func(i int) int64 { return ts[i] } }

	dc := defaultControllerSpec()
	add(dc, 1, oneKey(30, spaced(0)))
	add(dc, 1, oneKey(30, spaced(ms)))
	add(dc, 1, oneKey(30, spaced(100*ms)))
	add(dc, 1, oneKey(30, fromTimes(randomTimes(4, 30, 200*ms))))
	// 150 calls over 5 keys, round robin, 1 ms apart (the bucket's 100 burst runs out).
	{
		c := make([]whenCall, 150)
		for i := range c {
			c[i] = whenCall{t: int64(i) * ms, key: "k" + strconv.Itoa(i%5)}
		}
		add(dc, 5, c)
	}
	// 150 calls over 5 keys at random keys and times (gaps of 0..150 ms), with Forgets.
	{
		r := rnd(6)
		c := make([]whenCall, 150)
		t := int64(0)
		for i := range c {
			t += r.Int64N(150*ms + 1)
			c[i] = whenCall{t: t, key: "k" + strconv.Itoa(r.IntN(5)), forget: r.IntN(10) == 0}
		}
		add(dc, 5, c)
	}
	add(expSpec(5*time.Millisecond, 1000*time.Second), 1, oneKey(70, spaced(0)))
	// Reaches 2^63 ns at the 64th call: Go converts float64(2^63) to a
	// Duration as recorded (MinInt64 on amd64), then returns max.
	add(expSpec(1, math.MaxInt64), 1, oneKey(70, spaced(0)))
	{
		c := oneKey(10, spaced(0))
		c = append(c, whenCall{key: "k0", forget: true})
		c = append(c, oneKey(6, spaced(0))...)
		add(fastSlowSpec(time.Millisecond, 10*time.Second, 3), 1, c)
	}
	add(maxWaitSpec(expSpec(5*time.Millisecond, 1000*time.Second), time.Second), 1, oneKey(30, spaced(0)))
	// 300 calls: 150 at t=0 (the burst of 100 runs out), then 150 ms apart.
	add(bucketSpec(10, 100), 1, oneKey(300, func(i int) int64 { return int64(max(0, i-149)) * 150 * ms }))
	add(bucketSpec(3.3, 5), 1, oneKey(200, fromTimes(randomTimes(12, 200, 400*ms))))
	{
		c := oneKey(100, fromTimes(randomTimes(13, 100, 350*ms)))
		for _, i := range []int{20, 45, 70} {
			c[i].forget = true
		}
		add(maxOfSpec(expSpec(time.Millisecond, 100*time.Millisecond), bucketSpec(5, 2)), 1, c)
	}
	{
		// Two keys interleaved on max-of(exp, fast-slow), Forget of one in between.
		r := rnd(14)
		c := make([]whenCall, 40)
		for i := range c {
			c[i] = whenCall{t: int64(i) * 10 * ms, key: "k" + strconv.Itoa(r.IntN(2)), forget: i == 15 || i == 28}
		}
		add(maxOfSpec(expSpec(5*time.Millisecond, 1000*time.Second), fastSlowSpec(time.Millisecond, 10*time.Second, 3)), 2, c)
	}
	{
		// Exponential 1 ms / 100 ms over 3 keys with Forgets.
		r := rnd(15)
		c := make([]whenCall, 60)
		for i := range c {
			c[i] = whenCall{t: int64(i) * ms, key: "k" + strconv.Itoa(r.IntN(3)), forget: r.IntN(8) == 0}
		}
		add(expSpec(time.Millisecond, 100*time.Millisecond), 3, c)
	}
	add(maxWaitSpec(bucketSpec(2, 1), 300*time.Millisecond), 1, oneKey(20, spaced(50*ms)))
	return out
}

// appendWhenSeq runs ws on a fresh limiter and appends its line.
func appendWhenSeq(b []byte, ws whenSeq) []byte {
	clk := testingclock.NewFakePassiveClock(fakeStart)
	lim := ws.spec.build(clk)
	b = append(b, `{"seed":`...)
	b = strconv.AppendInt(b, ws.seed, 10)
	b = append(b, `,"kind":"when_seq","limiter":`...)
	b = ws.spec.appendJSON(b)
	b = appendInt(b, "keys", int64(ws.keys))
	b = append(b, `,"ties":false,"calls":[`...)
	for i, c := range ws.calls {
		if i > 0 {
			b = append(b, ',')
		}
		clk.SetTime(fakeStart.Add(time.Duration(c.t)))
		b = append(b, `{"t":`...)
		b = strconv.AppendInt(b, c.t, 10)
		if c.forget {
			b = appendStr(b, "op", "forget")
			b = appendStr(b, "key", c.key)
			lim.Forget(c.key)
		} else {
			b = appendStr(b, "key", c.key)
			b = appendInt(b, "delay", int64(lim.When(c.key)))
		}
		b = appendInt(b, "nr", int64(lim.NumRequeues(c.key)))
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}
