//! `wqplay`: the playground's simulation on the command line.
//!
//! The same deterministic simulation the browser runs, for scripts, CI and
//! people who want numbers rather than pictures:
//!
//! ```text
//! wqplay presets
//! wqplay run <preset-id | scenario.json> --until <90s|2h> [--format human|json|csv]
//!            [--events FILE] [--seed N] [--queue client-go|controller-runtime]
//! wqplay replay <share link | #fragment> [--format human|json|csv]
//! wqplay schedule [--base 5ms] [--max 1000s] [--calls 25]
//! ```
//!
//! `replay` rebuilds the run a playground share link describes (scenario,
//! inputs, time cursor) with [`History`], the same replay the page restores
//! a link with, and prints it at the link's cursor.
//!
//! Bad arguments or a bad scenario print what is wrong on stderr and exit 2.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Duration;
use workqueue_playground::sim::export::metrics_csv;
use workqueue_playground::sim::{
    backoff_schedule, decode_share, format_bytes, format_duration, parse_duration, preset, presets,
    Event, History, LimiterConfig, QueueKind, Scenario, Sim, Time, PRESET_IDS,
};

const USAGE: &str = "usage:
  wqplay presets
  wqplay run <preset-id | scenario.json> --until <duration> [--format human|json|csv] [--events FILE] [--seed N]
             [--queue client-go|controller-runtime]
  wqplay replay <share link | #fragment> [--format human|json|csv]
  wqplay schedule [--base 5ms] [--max 1000s] [--calls 25]";

/// What went wrong, and the exit code it earns.
enum Failure {
    /// Bad arguments or a bad scenario: exit 2.
    Usage(String),
    /// The run itself failed (e.g. the events file could not be written): exit 1.
    Io(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("wqplay: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("wqplay: {msg}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    match args.split_first() {
        Some((cmd, rest)) => match cmd.as_str() {
            "presets" => cmd_presets(rest),
            "run" => cmd_run(rest),
            "replay" => cmd_replay(rest),
            "schedule" => cmd_schedule(rest),
            "help" | "--help" | "-h" => {
                println!("{USAGE}");
                Ok(())
            }
            other => Err(Failure::Usage(format!("unknown command {other:?}"))),
        },
        None => Err(Failure::Usage("missing command".to_owned())),
    }
}

/// `--name value` pairs in the order given.
type Flags = Vec<(String, String)>;

/// Parses `--name value` pairs (and `--name=value`) against the allowed
/// names; returns them in order plus the positional arguments.
fn parse_flags(args: &[String], allowed: &[&str]) -> Result<(Flags, Vec<String>), Failure> {
    let mut flags = Vec::new();
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let Some(name) = arg.strip_prefix("--") else {
            positional.push(arg.clone());
            continue;
        };
        let (name, value) = match name.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None => {
                let v = it
                    .next()
                    .ok_or_else(|| Failure::Usage(format!("--{name} needs a value")))?;
                (name.to_owned(), v.clone())
            }
        };
        if !allowed.contains(&name.as_str()) {
            return Err(Failure::Usage(format!("unknown option --{name}")));
        }
        if flags.iter().any(|(n, _)| *n == name) {
            return Err(Failure::Usage(format!("--{name} given twice")));
        }
        flags.push((name, value));
    }
    Ok((flags, positional))
}

fn flag<'a>(flags: &'a [(String, String)], name: &str) -> Option<&'a str> {
    flags
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn duration_flag(
    flags: &[(String, String)],
    name: &str,
    default: Option<Duration>,
) -> Result<Duration, Failure> {
    match flag(flags, name) {
        Some(v) => parse_duration(v).map_err(|e| Failure::Usage(format!("--{name}: {e}"))),
        None => default
            .ok_or_else(|| Failure::Usage(format!("--{name} is required (e.g. --{name} 90s)"))),
    }
}

fn cmd_presets(rest: &[String]) -> Result<(), Failure> {
    if let Some(extra) = rest.first() {
        return Err(Failure::Usage(format!(
            "presets takes no arguments (got {extra:?})"
        )));
    }
    let all = presets();
    let width = PRESET_IDS.iter().map(|id| id.len()).max().unwrap_or(0);
    for s in all {
        println!("{:width$}  {}", s.id, s.title);
    }
    Ok(())
}

fn load_scenario(what: &str) -> Result<Scenario, Failure> {
    if let Some(s) = preset(what) {
        return Ok(s);
    }
    let looks_like_file =
        what.ends_with(".json") || what.contains('/') || std::path::Path::new(what).exists();
    if !looks_like_file {
        return Err(Failure::Usage(format!(
            "no preset called {what:?} (presets: {}) and no such .json file",
            PRESET_IDS.join(", ")
        )));
    }
    let text = std::fs::read_to_string(what)
        .map_err(|e| Failure::Usage(format!("cannot read {what}: {e}")))?;
    Scenario::from_json(&text).map_err(|e| Failure::Usage(format!("{what}: {e}")))
}

fn cmd_run(rest: &[String]) -> Result<(), Failure> {
    let (flags, positional) = parse_flags(rest, &["until", "format", "events", "seed", "queue"])?;
    let what = match positional.as_slice() {
        [one] => one,
        [] => {
            return Err(Failure::Usage(
                "run needs a preset id or a scenario.json".to_owned(),
            ))
        }
        [_, extra, ..] => return Err(Failure::Usage(format!("unexpected argument {extra:?}"))),
    };
    let until = duration_flag(&flags, "until", None)?;
    let format = format_flag(&flags)?;
    let mut scenario = load_scenario(what)?;
    if let Some(seed) = flag(&flags, "seed") {
        scenario.seed = seed.parse().map_err(|_| {
            Failure::Usage(format!("--seed must be a whole number ≥ 0 (got {seed:?})"))
        })?;
    }
    if let Some(queue) = flag(&flags, "queue") {
        scenario.queue =
            QueueKind::parse(queue).map_err(|e| Failure::Usage(format!("--queue: {e}")))?;
    }
    let mut sim = Sim::new(scenario).map_err(|e| Failure::Usage(format!("{what}: {e}")))?;
    let end = Time::ZERO + until;
    match flag(&flags, "events") {
        Some(path) => run_with_events(&mut sim, end, path)?,
        None => sim.run_until(end),
    }
    print_sim(&sim, format)
}

/// `--format` (default human), checked.
fn format_flag(flags: &[(String, String)]) -> Result<&str, Failure> {
    let format = flag(flags, "format").unwrap_or("human");
    if !["human", "json", "csv"].contains(&format) {
        return Err(Failure::Usage(format!(
            "--format must be human, json or csv (got {format:?})"
        )));
    }
    Ok(format)
}

fn print_sim(sim: &Sim, format: &str) -> Result<(), Failure> {
    match format {
        "json" => {
            let json = serde_json::to_string_pretty(&sim.summary())
                .map_err(|e| Failure::Io(e.to_string()))?;
            println!("{json}");
        }
        "csv" => print_csv(sim),
        _ => print_human(sim),
    }
    Ok(())
}

/// `wqplay replay <link>`: the run a share link describes, at its cursor.
fn cmd_replay(rest: &[String]) -> Result<(), Failure> {
    let (flags, positional) = parse_flags(rest, &["format"])?;
    let link = match positional.as_slice() {
        [one] => one,
        [] => return Err(Failure::Usage("replay needs a share link".to_owned())),
        [_, extra, ..] => return Err(Failure::Usage(format!("unexpected argument {extra:?}"))),
    };
    let format = format_flag(&flags)?;
    // A whole URL or just its fragment.
    let fragment = link.split_once('#').map_or(link.as_str(), |(_, f)| f);
    let state = decode_share(fragment).map_err(|e| Failure::Usage(format!("the link: {e}")))?;
    let history =
        History::from_share(&state).map_err(|e| Failure::Usage(format!("the link: {e}")))?;
    print_sim(history.live(), format)
}

/// Runs to `end`, writing every event as one JSON line (with its plain text
/// and client-go call) as it happens.
fn run_with_events(sim: &mut Sim, end: Time, path: &str) -> Result<(), Failure> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        #[serde(flatten)]
        event: &'a Event,
        text: String,
        call: String,
    }
    let file = File::create(path).map_err(|e| Failure::Io(format!("cannot create {path}: {e}")))?;
    let mut out = BufWriter::new(file);
    // Big enough for the events of any single step (a bulk input of 100 000).
    sim.set_event_capacity(1 << 20);
    let mut next_seq = 0;
    let mut write_new = |sim: &Sim, next_seq: &mut u64| -> Result<(), Failure> {
        for event in sim.events_since(*next_seq) {
            let line = Line {
                event,
                text: event.text(),
                call: event.call(),
            };
            serde_json::to_writer(&mut out, &line)
                .map_err(|e| Failure::Io(format!("{path}: {e}")))?;
            out.write_all(b"\n")
                .map_err(|e| Failure::Io(format!("{path}: {e}")))?;
        }
        *next_seq = sim.event_count();
        Ok(())
    };
    write_new(sim, &mut next_seq)?;
    while sim.next_event_at().is_some_and(|t| t <= end) {
        if sim.step().is_none() {
            break;
        }
        write_new(sim, &mut next_seq)?;
    }
    sim.run_until(end);
    write_new(sim, &mut next_seq)?;
    out.flush().map_err(|e| Failure::Io(format!("{path}: {e}")))
}

fn print_human(sim: &Sim) {
    let s = sim.summary();
    let mem = sim.memory();
    println!(
        "scenario        {} — {}",
        sim.scenario().id,
        sim.scenario().title
    );
    println!("queue           {}", sim.queue_kind().as_str());
    println!("virtual time    {}", s.time);
    println!(
        "failures map    {} entries ({} orphans of deleted objects); {} keys failing; {} live objects",
        s.failures_map_len, s.orphan_failure_entries, s.failing_keys, s.live_keys
    );
    println!(
        "queue           depth {}, len {}, processing {}, waiting in heap {}",
        s.queue_depth, s.queue_len, s.processing, s.waiting_len
    );
    println!("largest When()  {}", s.max_backoff);
    let limit = mem.limit.map_or("none".to_owned(), format_bytes);
    println!(
        "memory          {} now, {} peak, limit {limit}; {} OOM kills, {} restarts (sizes are assumptions)",
        format_bytes(mem.bytes),
        format_bytes(mem.peak_bytes),
        s.oom_kills,
        s.restarts
    );
    println!(
        "totals          adds_total {}, retries_total {}",
        s.adds_total, s.retries_total
    );
    println!("events          {} (trace hash {})", s.events, s.trace_hash);
}

fn print_csv(sim: &Sim) {
    print!("{}", metrics_csv(sim.series().samples()));
}

fn cmd_schedule(rest: &[String]) -> Result<(), Failure> {
    let (flags, positional) = parse_flags(rest, &["base", "max", "calls"])?;
    if let Some(extra) = positional.first() {
        return Err(Failure::Usage(format!("unexpected argument {extra:?}")));
    }
    let base = duration_flag(&flags, "base", Some(Duration::from_millis(5)))?;
    let max = duration_flag(&flags, "max", Some(Duration::from_secs(1000)))?;
    let calls: u32 = match flag(&flags, "calls") {
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "--calls must be a whole number from 1 to 10000 (got {v:?})"
                ))
            })?,
        None => 25,
    };
    let limiter = LimiterConfig::ItemExponential { base, max };
    let rows = backoff_schedule(&limiter, calls).map_err(|e| Failure::Usage(e.to_string()))?;
    println!(
        "# {} — the n-th consecutive failure of one key, no Forget",
        limiter.describe()
    );
    println!("{:>5}  {:>12}  {:>16}", "call", "delay", "cumulative");
    for r in rows {
        println!(
            "{:>5}  {:>12}  {:>16}",
            r.n,
            format_duration(r.delay),
            format_duration(r.cumulative)
        );
    }
    Ok(())
}
