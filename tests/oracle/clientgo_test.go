package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// toyRun drives the generator with a crude stand-in for the queue (enough to
// exercise every branch) and returns the ops it produced.
func toyRun(seed int64) []genOp {
	g := newGenerator(seed, genConfig{}, func(key string, at int64) int64 { return at % 7 * ms })
	var ops []genOp
	qlen, now, sd := 0, int64(0), false
	for {
		op, ok := g.Next()
		if !ok {
			return ops
		}
		ops = append(ops, op)
		obs := genObs{}
		switch op.Op {
		case "add", "add_after":
			if !sd {
				qlen++
			}
		case "add_rate_limited":
			obs.Delay = int64(len(ops)%5) * ms
		case "step":
			now += op.D
		case "get":
			if qlen > 0 {
				qlen--
				obs.Result = g.keys[len(ops)%len(g.keys)]
			} else {
				obs.Shutdown = true
			}
		case "shutdown", "shutdown_with_drain":
			sd = true
		}
		obs.Len, obs.Now = qlen, now
		g.Observe(op, obs)
		if len(ops) > 1000 {
			panic(fmt.Sprintf("seed %d: runaway sequence", seed))
		}
	}
}

func TestGeneratorDeterministic(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 4, 17, 1 << 40} {
		a, b := toyRun(seed), toyRun(seed)
		if !slices.Equal(a, b) {
			t.Fatalf("seed %d: two runs generated different ops", seed)
		}
		if len(a) < 100 {
			t.Fatalf("seed %d: only %d ops", seed, len(a))
		}
	}
	if slices.Equal(toyRun(1), toyRun(3)) {
		t.Fatal("seeds 1 and 3 generated the same ops")
	}
}

func TestRecordShortSequenceTwice(t *testing.T) {
	var sc stackScanner
	opts := recordOptions{gen: genConfig{MainOps: 30, TailOps: 4}}
	// 3: odd (ties), ends with ShutDownWithDrain; 4: even (jitter), ShutDown.
	for _, seed := range []int64{3, 4} {
		a, err := recordQueueSeq(nil, seed, opts, &sc)
		if err != nil {
			t.Fatal(err)
		}
		b, err := recordQueueSeq(nil, seed, opts, &sc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("seed %d: recordings differ:\n%s\n%s", seed, a, b)
		}
		var line struct {
			Seed int64            `json:"seed"`
			Ops  []map[string]any `json:"ops"`
		}
		if err := json.Unmarshal(a, &line); err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, a)
		}
		if line.Seed != seed || len(line.Ops) < 30 {
			t.Fatalf("seed %d: bad line %s", seed, a)
		}
	}
}

func TestWhenSeqsDeterministic(t *testing.T) {
	var a, b []byte
	for _, ws := range whenSeqs() {
		a = appendWhenSeq(a, ws)
	}
	for _, ws := range whenSeqs() {
		b = appendWhenSeq(b, ws)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("when_seq lines differ between two runs")
	}
	for _, l := range bytes.Split(bytes.TrimSpace(a), []byte("\n")) {
		if !json.Valid(l) {
			t.Fatalf("invalid JSON: %s", l)
		}
	}
}
