//! The `wqplay` binary end to end: exit codes, the JSON fields, the CSV
//! header, the events file and the backoff table. Native only (it spawns a
//! process and writes a file).
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};
use workqueue_playground::sim::{encode_share, preset, History, Input, Key, Time};

fn wqplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wqplay"))
        .args(args)
        .output()
        .expect("wqplay runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn presets_lists_every_id_one_per_line() {
    let o = wqplay(&["presets"]);
    assert_eq!(o.status.code(), Some(0));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    assert_eq!(
        ids,
        [
            "manual",
            "seed-oom",
            "fixed",
            "poison",
            "outage",
            "dedup",
            "forget-shared",
            "cap-1000s",
            "spurious-backoff",
            "success-hotloop",
            "bucket-hours",
            "herd",
            "bucket-10qps",
            "numrequeues-restart",
            "retries-vs-adds",
            "cr-requeue-polling",
            "cr-terminal-leak",
        ]
    );
}

#[test]
fn run_json_prints_one_object_with_the_summary_fields() {
    let o = wqplay(&["run", "herd", "--until", "90s", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    for field in [
        "time_ns",
        "failures_map_len",
        "live_keys",
        "orphan_failure_entries",
        "waiting_len",
        "queue_depth",
        "max_backoff_ns",
        "oom_kills",
        "adds_total",
        "retries_total",
    ] {
        assert!(
            v.get(field).is_some_and(|x| x.is_number()),
            "missing {field}: {v}"
        );
    }
    assert_eq!(v["time_ns"], 90_000_000_000u64);
    assert_eq!(
        v["max_backoff_ns"], 90_000_000_000u64,
        "the herd's last key waits 90 s"
    );
    assert_eq!(v["retries_total"], 1000);
}

#[test]
fn seed_oom_reports_kills_and_orphans() {
    let o = wqplay(&["run", "seed-oom", "--until", "2h", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v["oom_kills"].as_u64().is_some_and(|k| k >= 1), "{v}");
    assert!(
        v["orphan_failure_entries"].as_u64() > v["live_keys"].as_u64(),
        "{v}"
    );
}

#[test]
fn csv_prints_the_metrics_series() {
    let o = wqplay(&["run", "outage", "--until", "2m", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with(
        "time_s,workqueue_depth,workqueue_adds_total,workqueue_retries_total,failures_len"
    ));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 100, "{} rows", rows.len());
    let cols = header.split(',').count();
    assert!(rows.iter().all(|r| r.split(',').count() == cols));
}

#[test]
fn events_file_holds_one_json_object_per_event() {
    let path = std::env::temp_dir().join(format!("wqplay-events-{}.jsonl", std::process::id()));
    let p = path.to_string_lossy().into_owned();
    let o = wqplay(&[
        "run", "dedup", "--until", "30s", "--events", &p, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let text = std::fs::read_to_string(&path).expect("events file");
    let _ = std::fs::remove_file(&path);
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        events.len() as u64,
        summary["events"].as_u64().expect("events")
    );
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["seq"], i as u64);
        assert!(e["text"].is_string() && e["call"].is_string() && e["at"].is_number());
    }
    assert!(events
        .iter()
        .any(|e| e["call"] == "queue.Get() → \"default/hot\""));
}

#[test]
fn schedule_prints_client_go_backoff_table() {
    let o = wqplay(&[
        "schedule", "--base", "5ms", "--max", "1000s", "--calls", "25",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<Vec<String>> = stdout(&o)
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 25);
    let row = |n: usize| rows.get(n - 1).cloned().unwrap_or_default();
    assert_eq!(row(1), ["1", "5ms", "5ms"]);
    assert_eq!(row(8), ["8", "640ms", "1.275s"]);
    assert_eq!(row(18), ["18", "10m55.36s", "21m50.715s"]);
    assert_eq!(row(19), ["19", "16m40s", "38m30.715s"]);
    assert_eq!(row(25), ["25", "16m40s", "2h18m30.715s"]);
}

#[test]
fn bad_arguments_and_bad_scenarios_exit_2_and_say_what_is_wrong() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "missing command"),
        (&["fly"], "unknown command"),
        (&["run", "seed-oom"], "--until is required"),
        (&["run", "seed-oom", "--until", "90"], "missing unit"),
        (
            &["run", "nope", "--until", "1s"],
            "no preset called \"nope\"",
        ),
        (
            &["run", "herd", "--until", "1s", "--format", "xml"],
            "--format must be",
        ),
        (
            &["run", "herd", "--until", "1s", "--colour", "red"],
            "unknown option --colour",
        ),
        (&["run", "herd", "--until"], "--until needs a value"),
        (&["schedule", "--calls", "0"], "--calls must be"),
        (
            &["schedule", "--base", "0s"],
            "limiter.item_exponential.base: must be > 0",
        ),
        (&["presets", "extra"], "takes no arguments"),
    ];
    for (args, want) in cases {
        let o = wqplay(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
    let path = std::env::temp_dir().join(format!("wqplay-bad-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"version":1,"id":"x","workers":{"count":-1}}"#).expect("write");
    let o = wqplay(&["run", &path.to_string_lossy(), "--until", "1s"]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("workers.count"), "{}", stderr(&o));
}

#[test]
fn a_scenario_file_runs_like_its_preset() {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("wqplay-dedup-{}.json", std::process::id()));
    let json = workqueue_playground::sim::preset("dedup")
        .expect("dedup")
        .to_json();
    std::fs::write(&path, json).expect("write");
    let from_file = wqplay(&[
        "run",
        &path.to_string_lossy(),
        "--until",
        "30s",
        "--format",
        "json",
    ]);
    let _ = std::fs::remove_file(&path);
    let from_preset = wqplay(&["run", "dedup", "--until", "30s", "--format", "json"]);
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    assert_eq!(stdout(&from_file), stdout(&from_preset));
}

#[test]
fn queue_flag_switches_the_model_and_keeps_the_json_fields() {
    let json = |args: &[&str]| -> serde_json::Value {
        let o = wqplay(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        serde_json::from_str(&stdout(&o)).expect("one JSON object")
    };
    let base = ["run", "herd", "--until", "90s", "--format", "json"];
    let cg = json(&[&base[..], &["--queue", "client-go"]].concat());
    assert_eq!(cg, json(&base), "client-go is the default");
    let cr = json(&[&base[..], &["--queue", "controller-runtime"]].concat());
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(names(&cg), names(&cr));
    assert_eq!(cg["max_backoff_ns"], 90_000_000_000u64, "the bucket's debt");
    assert_eq!(
        cr["max_backoff_ns"], 5_000_000u64,
        "the priority queue's default limiter has no bucket: every herd key waits 5ms"
    );
    assert_ne!(cg["trace_hash"], cr["trace_hash"]);
    let human = wqplay(&["run", "cr-terminal-leak", "--until", "10s"]);
    assert!(
        stdout(&human).contains("controller-runtime"),
        "{}",
        stdout(&human)
    );
}

#[test]
fn a_bad_queue_value_exits_2_and_names_the_choices() {
    let o = wqplay(&["run", "herd", "--until", "1s", "--queue", "kube"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--queue"), "{err}");
    assert!(
        err.contains("client-go") && err.contains("controller-runtime"),
        "{err}"
    );
    // A controller-runtime preset forced onto client-go names the field it cannot use.
    let o = wqplay(&[
        "run",
        "cr-requeue-polling",
        "--until",
        "1s",
        "--queue",
        "client-go",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("outcomes."), "{}", stderr(&o));
}

#[test]
fn replay_of_a_share_link_is_the_run_at_its_cursor() {
    let run = wqplay(&["run", "seed-oom", "--until", "2s", "--format", "json"]);
    let link = wqplay(&[
        "replay",
        "http://127.0.0.1:8080/#v=1&s=seed-oom&t=2000000000",
        "--format",
        "json",
    ]);
    assert_eq!(link.status.code(), Some(0), "{}", stderr(&link));
    let a: serde_json::Value = serde_json::from_str(&stdout(&run)).expect("json");
    let b: serde_json::Value = serde_json::from_str(&stdout(&link)).expect("json");
    assert_eq!(a, b);
    assert_eq!(b["time_ns"].as_u64(), Some(2_000_000_000));

    // Inputs recorded in the link are applied where they were made: the same world as
    // History's own replay of it.
    let mut history = History::new(preset("manual").expect("manual")).expect("valid");
    history.run_until(Time::from_nanos(1_000_000_000));
    history.apply(Input::Fail(Key::from("ns/a"))).expect("fail");
    history.run_until(Time::from_nanos(1_500_000_000));
    history.apply(Input::Fail(Key::from("ns/b"))).expect("fail");
    let link = format!("#{}", encode_share(&history.share_state()));
    let acted = wqplay(&["replay", &link, "--format", "json"]);
    assert_eq!(acted.status.code(), Some(0), "{}", stderr(&acted));
    let v: serde_json::Value = serde_json::from_str(&stdout(&acted)).expect("json");
    let want = history.live().summary();
    assert_eq!(v["failures_map_len"].as_u64(), Some(2));
    assert_eq!(v["trace_hash"].as_str(), Some(want.trace_hash.as_str()));
    assert_eq!(v["time_ns"].as_u64(), Some(1_500_000_000));

    // A bad link says what is wrong and exits 2.
    let bad = wqplay(&["replay", "#v=1&s=nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("no preset called \"nope\""),
        "{}",
        stderr(&bad)
    );
    let far = wqplay(&["replay", "#v=1&s=seed-oom&t=18446744073709551615"]);
    assert_eq!(far.status.code(), Some(2));
    assert!(stderr(&far).contains("past the bound"), "{}", stderr(&far));
}
