package main

// Settling: client-go's delaying queue moves items from its waiting heap to
// the queue in a goroutine (waitingLoop), and ShutDownWithDrain blocks, so it
// runs in a goroutine of ours. Before an op's result is read, those
// goroutines must be idle: the waiting loop parked in its select (or gone
// after a shutdown), the drain goroutine returned or parked in its
// sync.Cond.Wait. Goroutine states come from runtime.Stack(all).

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"time"
)

// settleTimeout bounds every poll: fail loudly rather than hang.
const settleTimeout = 5 * time.Second

// A goroutine that has not run yet shows only the wrapper of its go
// statement ("<creator>.gowrap1()"), so both the function and the wrapper are
// matched.
var (
	// drainFrame is the function our ShutDownWithDrain goroutine runs, and
	// drainCreator the function that starts it (recordQueueSeq starts no
	// other goroutine). The package is "main", or its import path in tests.
	drainFrame   = []byte(".shutDownWithDrainWorker(")
	drainCreator = []byte(".recordQueueSeq in goroutine ")
	// waitingLoopFrame is client-go's (*delayingType[T]).waitingLoop, which
	// newDelayingQueue starts.
	waitingLoopFrame = []byte(").waitingLoop(")
	waitingLoopWrap  = []byte("workqueue.newDelayingQueue[...].gowrap")
)

// goroutineScan is the state of the goroutines settling cares about.
type goroutineScan struct {
	loops      int    // goroutines running waitingLoop
	loopState  string // state of the last one seen, e.g. "select"
	drains     int    // goroutines running shutDownWithDrainWorker
	drainState string
}

type stackScanner struct {
	buf []byte
}

func (s *stackScanner) scan() goroutineScan {
	if s.buf == nil {
		s.buf = make([]byte, 64<<10)
	}
	var n int
	for {
		n = runtime.Stack(s.buf, true)
		if n < len(s.buf) {
			break
		}
		s.buf = make([]byte, 2*len(s.buf))
	}
	var res goroutineScan
	rest := s.buf[:n]
	for len(rest) > 0 {
		var block []byte
		if i := bytes.Index(rest, []byte("\n\n")); i >= 0 {
			block, rest = rest[:i], rest[i+2:]
		} else {
			block, rest = rest, nil
		}
		loop, drain := false, false
		lines := bytes.Split(block, []byte("\n"))
		for _, l := range lines[1:] {
			if bytes.HasPrefix(l, []byte("created by ")) {
				drain = drain || bytes.Contains(l, drainCreator)
				continue
			}
			if bytes.Contains(l, waitingLoopFrame) || bytes.Contains(l, waitingLoopWrap) {
				loop = true
			}
			if bytes.Contains(l, drainFrame) {
				drain = true
			}
		}
		if !loop && !drain {
			continue
		}
		state := headerState(lines[0])
		if loop {
			res.loops++
			res.loopState = state
		}
		if drain {
			res.drains++
			res.drainState = state
		}
	}
	return res
}

// headerState returns "select" from "goroutine 7 [select, 2 minutes]:".
func headerState(h []byte) string {
	i := bytes.IndexByte(h, '[')
	j := bytes.LastIndexByte(h, ']')
	if i < 0 || j < i {
		return string(h)
	}
	st := h[i+1 : j]
	if k := bytes.IndexByte(st, ','); k >= 0 {
		st = st[:k]
	}
	return string(st)
}

// settleState says what "idle" means for the current queue.
type settleState struct {
	loopMayExit  bool // the queue is shutting down: the waiting loop may be gone
	drainStarted bool
	drainDone    func() bool // ShutDownWithDrain has returned
}

// idle reports whether the goroutines are idle; err is set for states that
// must never happen (a second waiting loop: a previous queue's goroutine).
func (st settleState) idle(g goroutineScan) (bool, error) {
	switch {
	case g.loops > 1:
		return false, fmt.Errorf("%d waitingLoop goroutines (a previous queue's is still running)", g.loops)
	case g.loops == 0 && !st.loopMayExit:
		return false, fmt.Errorf("the waitingLoop goroutine is gone before shutdown")
	case g.loops == 1 && g.loopState != "select":
		return false, nil
	}
	if g.drains > 1 || (g.drains > 0 && !st.drainStarted) {
		return false, fmt.Errorf("%d ShutDownWithDrain goroutines (a previous queue's is still running)", g.drains)
	}
	if st.drainStarted && !st.drainDone() && g.drainState != "sync.Cond.Wait" {
		return false, nil
	}
	return true, nil
}

// waitIdle polls goroutine states until idle (or fails after settleTimeout).
func (s *stackScanner) waitIdle(st settleState, deadline time.Time) error {
	for i := 0; ; i++ {
		g := s.scan()
		ok, err := st.idle(g)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not settled after %v: waitingLoop %d [%s], drain %d [%s]",
				settleTimeout, g.loops, g.loopState, g.drains, g.drainState)
		}
		if i < 20 {
			runtime.Gosched()
		} else {
			time.Sleep(20 * time.Microsecond)
		}
	}
}

// waitGone polls until neither a waiting loop nor a drain goroutine exists
// (between sequences, so that the next queue's goroutines are unambiguous).
func (s *stackScanner) waitGone() error {
	deadline := time.Now().Add(settleTimeout)
	for i := 0; ; i++ {
		g := s.scan()
		if g.loops == 0 && g.drains == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("queue goroutines still running %v after ShutDown: waitingLoop %d [%s], drain %d [%s]",
				settleTimeout, g.loops, g.loopState, g.drains, g.drainState)
		}
		if i < 20 {
			runtime.Gosched()
		} else {
			time.Sleep(20 * time.Microsecond)
		}
	}
}

// observable is what must not change while settling.
type observable struct {
	len     int
	fifo    []string
	drained bool
}

func (a observable) equal(b observable) bool {
	return a.len == b.len && a.drained == b.drained && slices.Equal(a.fifo, b.fifo)
}

// settle waits until the goroutines are idle and then requires the queue's
// Len, its order and the drain flag to stay unchanged over three 1 ms sleeps
// (starting over if they change).
func (s *stackScanner) settle(st settleState, observe func() observable) error {
	deadline := time.Now().Add(settleTimeout)
	for {
		if err := s.waitIdle(st, deadline); err != nil {
			return err
		}
		before := observe()
		stable := true
		for range 3 {
			time.Sleep(time.Millisecond)
			if !observe().equal(before) {
				stable = false
				break
			}
		}
		if stable {
			if ok, err := st.idle(s.scan()); err != nil || ok {
				return err
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("queue still changing after %v", settleTimeout)
		}
	}
}
