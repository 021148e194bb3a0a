/* Hand-written declarations of the workqueue-playground package (src/js/ in the crate).
 * Kept in step with src/js/*.rs by hand; tests/js/package.test.mjs checks the shapes at run time. */

/**
 * Nanoseconds: every time (since t=0) and every duration crosses as a `bigint`;
 * every count is a `number`.
 */
export type Nanoseconds = bigint;

/** The built-in scenarios, in menu order (`Sim.presetIds()`). */
export type PresetId =
  | "manual" | "seed-oom" | "fixed" | "poison" | "outage" | "herd" | "dedup"
  | "cr-terminal-leak" | "cr-requeue-polling";

/**
 * Scenario JSON, as `wqplay run scenario.json` reads it (strict: unknown fields are errors).
 * Every field but `version` and `id` has a default; see `Scenario` in src/sim/scenario.rs.
 */
export interface ScenarioJson {
  version: 1;
  id: string;
  title?: string;
  description?: string;
  seed?: number;
  limiter?: unknown;
  policy?: unknown;
  workers?: { count?: number; processing?: unknown };
  informer?: {
    namespace?: string;
    name_prefix?: string;
    initial_objects?: number;
    change_every?: string | null;
    churn?: { create_every: string; lifetime: string } | null;
    enqueue_on_delete?: boolean;
  };
  outcomes?: {
    error_rate?: number;
    key_error_rates?: Record<string, number>;
    poison_keys?: string[];
    outages?: { start: string; duration: string }[];
  };
  memory?: unknown;
  script?: { at: string; input: unknown; repeat?: number; every?: string }[];
}

/** The ops of `sim.apply` that act on one key. */
export type KeyOp = "add" | "fail" | "forget" | "done" | "succeed" | "change" | "delete";

/**
 * One input, applied at the current virtual time:
 * - `add`: `queue.Add(key)`; `fail`: `queue.AddRateLimited(key)`; `forget`: `queue.Forget(key)`;
 * - `get`: `queue.Get()` by hand (no key: it hands out the next queued item, held until `done`);
 * - `done`: `queue.Done(key)`; `succeed`: `Forget(key)` then `Done(key)`;
 * - `change` / `delete`: informer add-or-update / delete events, through the controller's policy.
 */
export type Input = { op: KeyOp; key: string } | { op: "get" };

/** `sim.summary()`: the fields and values `wqplay run --format json` prints. */
export interface Summary {
  /** Virtual time. */
  time_ns: Nanoseconds;
  /** The same, as Go prints durations ("2h0m0s"). */
  time: string;
  /** `len(failures)` of the rate limiter. */
  failures_map_len: number;
  /** Objects that exist. */
  live_keys: number;
  /** Failures entries of deleted objects. */
  orphan_failure_entries: number;
  /** Keys whose last reconcile failed. */
  failing_keys: number;
  /** Entries in the delaying heap. */
  waiting_len: number;
  /** `workqueue_depth`. */
  queue_depth: number;
  /** `queue.Len()`. */
  queue_len: number;
  /** Items being processed. */
  processing: number;
  /** Largest delay any `When` returned in the run. */
  max_backoff_ns: Nanoseconds;
  /** The same, as Go prints it. */
  max_backoff: string;
  /** OOM kills. */
  oom_kills: number;
  /** Restarts (after kills or redeploys). */
  restarts: number;
  /** `workqueue_adds_total`, summed over every process of the run. */
  adds_total: number;
  /** `workqueue_retries_total`, summed the same way. */
  retries_total: number;
  /** Events in the full log: also the next event's `seq`. */
  events: number;
  /** Happenings processed. */
  steps: number;
  /** Estimated memory now, bytes. */
  memory_bytes: number;
  /** Highest estimate of the run, bytes. */
  peak_memory_bytes: number;
  /** FNV-1a 64 of the full event log, 16 hex digits: equal runs, equal hash. */
  trace_hash: string;
}

/** One failures-map entry (`sim.failures()`, sorted by key). */
export interface Failure {
  key: string;
  /** `queue.NumRequeues(key)`. */
  requeues: number;
  /** The last delay `When` gave it in this process, or null. */
  lastBackoffNs: Nanoseconds | null;
  /** When it leaves the delaying heap, or null if it is not waiting. */
  nextRetryNs: Nanoseconds | null;
  /** When that last `When` was, or null. */
  lastFailedAtNs: Nanoseconds | null;
  /** Whether its object still exists ("orphan": only `Forget` removes the entry). */
  status: "live" | "orphan";
}

/** Why a queue call was made. */
export type Cause = "change" | "delete" | "relist" | "error" | "success" | "give_up" | "hand" | "requeue";
/** Why a reconcile failed. */
export type FailReason = "random" | "poison" | "outage";
/** Why the controller (re)started. */
export type StartReason = "initial" | "after_oom" | "redeploy";
/** An item's state before an `Add`. */
export type StateBefore = "absent" | "queued" | "processing" | "processing_dirty";
/** A short category for filters. */
export type EventCategory =
  | "start" | "informer" | "add" | "rate-limit" | "release" | "get" | "reconcile"
  | "failure" | "forget" | "done" | "oom" | "outage" | "setting";

/** What every event has. */
export interface EventBase {
  /** Position in the full log, from 0. */
  seq: number;
  /** Virtual time. */
  atNs: Nanoseconds;
  category: EventCategory;
  /** What happened, in plain words. */
  text: string;
  /** The exact client-go call, e.g. `queue.AddRateLimited("ns/pod-7") → When()=640ms (failures 7→8)`; "" if none. */
  call: string;
}

/** One event-log entry (`sim.events(since)`); `type` is the tag `wqplay run --events` writes. */
export type SimEvent = EventBase & (
  | { type: "started"; reason: StartReason; objects: number }
  | { type: "object_created"; key: string }
  | { type: "object_updated"; key: string }
  | { type: "object_deleted"; key: string; orphaned: boolean }
  | { type: "add"; key: string; cause: Cause; before: StateBefore }
  | {
      type: "add_rate_limited"; key: string; cause: Cause; whenNs: Nanoseconds;
      failuresBefore: number; failuresAfter: number;
      /** If it was already waiting: its ready time then (the earlier one wins). */
      waitingUntilNs: Nanoseconds | null;
      /** Bucket tokens after the call, if the limiter has a bucket. */
      tokens: number | null;
    }
  | { type: "released"; count: number }
  | { type: "get"; worker: number | null; key: string; requeues: number; takesNs: Nanoseconds | null }
  | { type: "reconcile_ok"; worker: number; key: string; deleted: boolean }
  | { type: "reconcile_failed"; worker: number; key: string; reason: FailReason }
  | { type: "forget"; key: string; cause: Cause; had: number }
  | { type: "gave_up"; key: string; requeues: number }
  | { type: "done"; key: string; worker: number | null; requeued: boolean; spurious: boolean }
  | { type: "oom_killed"; bytes: number; limit: number; failures: number; restartAtNs: Nanoseconds }
  | { type: "outage_started"; untilNs: Nanoseconds }
  | { type: "outage_ended" }
  | { type: "setting"; label: string }
  // controller-runtime mode (scenario queue "controller-runtime"):
  | {
      type: "add_with_opts"; key: string; cause: Cause; rateLimited: boolean; afterNs: Nanoseconds;
      /** AddOpts.Priority; null is Go's nil (priority 0). */
      priority: number | null;
      /** What When() returned, for a rate-limited add. */
      whenNs: Nanoseconds | null;
      failuresBefore: number; failuresAfter: number;
      before: "absent" | "ready" | "waiting" | "processing";
      beforePriority: number | null; beforeUntilNs: Nanoseconds | null;
    }
  | { type: "get_with_priority"; worker: number | null; key: string; priority: number; requeues: number; takesNs: Nanoseconds | null }
  | {
      type: "reconciled"; worker: number; key: string;
      /** The Reconcile return values as Go prints them. */
      result: string;
      reason: FailReason | null; deleted: boolean;
    }
);

/**
 * A simulated controller world: a client-go rate-limiting queue, its workers and informer, on
 * a virtual clock that moves only when you step or run it. Every run is a pure function of
 * (scenario, seed, inputs), identical to `wqplay` natively. Every error is a thrown `Error`
 * whose message names the field at fault ("input.key: key is empty").
 */
export class Sim {
  private constructor();
  /** A built-in scenario at t=0; throws on an unknown id. */
  static preset(id: PresetId): Sim;
  /** The built-in scenarios' ids, in menu order. */
  static presetIds(): PresetId[];
  /** A world from scenario JSON (an object, or JSON text for a seed above 2^53); a bad one throws naming the field. */
  static fromScenario(scenario: ScenarioJson | string): Sim;
  /**
   * Applies an input now and returns the client-go call(s) it made, as the event log's `call`
   * writes them, joined by "; " (e.g. `queue.AddRateLimited("k") → When()=5ms (failures 0→1), bucket tokens 99.0`).
   * A bad or refused input throws and changes nothing.
   */
  apply(input: Input): string;
  /** Handles the next happening, moving the clock to it: its time, or undefined if nothing is scheduled. */
  step(): Nanoseconds | undefined;
  /** Handles everything due up to `ns` (a bigint or a safe integer), then moves the clock there (never back). */
  runUntil(ns: Nanoseconds | number): void;
  /** The virtual time. */
  now(): Nanoseconds;
  /** The headline numbers, as `wqplay run --format json` prints them. */
  summary(): Summary;
  /** Every failures-map entry, sorted by key. */
  failures(): Failure[];
  /**
   * The retained events with `seq >= since` (default 0), oldest first. The log keeps the last
   * 4096 (`setEventCapacity`); pass `summary().events` (or the last `seq` + 1) to read only newer ones.
   */
  events(since?: bigint | number): SimEvent[];
  /** How many recent events the log keeps (at least 1; default 4096). */
  setEventCapacity(n: number): void;
  /** Frees the world's memory now (otherwise a FinalizationRegistry does, eventually). */
  free(): void;
  [Symbol.dispose](): void;
}

/** What `init` can load the module from (browser entry). */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
/** What `initSync` can instantiate the module from. */
export type SyncInitInput = BufferSource | WebAssembly.Module;
/** The instantiated module's raw exports (internal; use `Sim`). */
export interface InitOutput {
  readonly memory: WebAssembly.Memory;
}

/** Instantiates the module synchronously from its bytes. A no-op once initialised (the Node entry already is). */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * Loads and instantiates the module; by default fetches `workqueue_playground_bg.wasm` next to
 * the JS file. Call (and await) it once before using `Sim` in a browser; in Node it is a no-op.
 */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;
