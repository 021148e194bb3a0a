//! Any sequence of inputs, at any time, on any preset: no panic, refused
//! inputs change nothing, and the bookkeeping the views show (orphans,
//! failures rows, memory against the limit) stays consistent with the
//! queue itself. Also: arbitrary share links never panic the decoder.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;
use workqueue_playground::sim::{
    decode_share, preset, Input, Key, KeyStatus, LimiterConfig, MemoryConfig, Policy,
    PolicyToggles, Prng, ProcessingTime, Sim, PRESET_IDS,
};
use workqueue_playground::sim::{ChangeCall, ErrorCall};

fn random_input(r: &mut Prng, sim: &Sim) -> Input {
    let keys: Vec<Key> = sim.objects().take(8).cloned().collect();
    let key = |r: &mut Prng| -> Key {
        match keys.get(r.below(keys.len() as u64 + 2) as usize) {
            Some(k) => k.clone(),
            None => Key::from(format!("default/x-{}", r.below(5))),
        }
    };
    match r.below(20) {
        0 => Input::Change(key(r)),
        1 => Input::DeleteObject(key(r)),
        2 => Input::Add(key(r)),
        3 => Input::Fail(key(r)),
        4 => Input::Forget(key(r)),
        5 => Input::Get,
        6 => Input::Done(key(r)),
        7 => Input::Succeed(key(r)),
        8 => Input::AddMany {
            count: 1 + r.below(20) as u32,
        },
        9 => Input::UpdateStorm {
            keys: 1 + r.below(5) as u32,
            every: Duration::from_millis(1 + r.below(2000)),
            duration: Duration::from_secs(r.below(20)),
        },
        10 => Input::Outage {
            duration: Duration::from_secs(1 + r.below(30)),
        },
        11 => Input::Herd {
            count: 1 + r.below(300) as u32,
        },
        12 => Input::SetLimiter(match r.below(4) {
            0 => LimiterConfig::DefaultController,
            1 => LimiterConfig::DefaultItemBased,
            2 => LimiterConfig::ItemFastSlow {
                fast: Duration::from_millis(5),
                slow: Duration::from_secs(10),
                max_fast_attempts: 3,
            },
            _ => LimiterConfig::WithMaxWait {
                inner: Box::new(LimiterConfig::DefaultController),
                max: Duration::from_secs(30),
            },
        }),
        13 => Input::SetWorkers(r.below(6) as u32),
        14 => Input::SetProcessingTime(ProcessingTime::Exponential {
            mean: Duration::from_millis(1 + r.below(500)),
        }),
        15 => Input::SetErrorRate(r.next_f64() * 1.2),
        16 => Input::SetPolicy(match r.below(3) {
            0 => Policy::Buggy,
            1 => Policy::Fixed {
                max_requeues: Some(1 + r.below(6)),
            },
            _ => Policy::Custom(PolicyToggles {
                on_change: ChangeCall::AddRateLimited,
                on_error: ErrorCall::Add,
                forget_on_success: r.chance(0.5),
                max_requeues: None,
            }),
        }),
        17 => Input::SetMemoryLimit(Some(MemoryConfig::default().base_bytes + r.below(1 << 18))),
        18 => Input::SetMemoryModel(MemoryConfig {
            limit_bytes: None,
            ..MemoryConfig::default()
        }),
        _ => Input::SetErrorRate(-1.0),
    }
}

fn check_views(sim: &Sim, context: &str) {
    let rows = sim.failures();
    let orphans = rows
        .iter()
        .filter(|r| r.status == KeyStatus::Orphan)
        .count();
    assert_eq!(orphans, sim.orphan_entries(), "{context}: orphan count");
    let s = sim.summary();
    assert_eq!(s.live_keys as usize, sim.live_keys());
    let m = sim.memory();
    if let (Some(limit), None) = (m.limit, m.down_until) {
        assert!(
            m.bytes <= limit,
            "{context}: {} > limit {limit} while up",
            m.bytes
        );
    }
    for w in sim.workers() {
        if let workqueue_playground::sim::WorkerState::Processing { key, until, .. } = &w.state {
            assert!(
                *until >= sim.now(),
                "{context}: worker {} overdue on {key}",
                w.id
            );
        }
    }
}

#[test]
fn random_inputs_never_panic_and_views_stay_consistent() {
    for (n, id) in PRESET_IDS.iter().enumerate() {
        let mut sim = Sim::new(preset(id).expect("preset")).expect("valid");
        let mut r = Prng::new(1000 + n as u64);
        for i in 0..150 {
            let step = Duration::from_millis(r.below(3000));
            sim.run_until(sim.now() + step);
            let input = random_input(&mut r, &sim);
            let before = (sim.trace_hash(), sim.event_count());
            if sim.apply(input.clone()).is_err() {
                assert_eq!(
                    (sim.trace_hash(), sim.event_count()),
                    before,
                    "{id} #{i}: refused {input:?} changed the run"
                );
            }
            check_views(&sim, &format!("{id} #{i} after {input:?}"));
        }
    }
}

#[test]
fn arbitrary_share_links_never_panic() {
    let mut r = Prng::new(77);
    let alphabet: Vec<char> = "v=1&s=seed-oomcin_t0123456789-ABCxyz%#é/+"
        .chars()
        .collect();
    for _ in 0..3000 {
        let len = r.below(60) as usize;
        let text: String = (0..len)
            .map(|_| {
                *alphabet
                    .get(r.below(alphabet.len() as u64) as usize)
                    .unwrap_or(&'x')
            })
            .collect();
        let _ = decode_share(&text);
        let _ = decode_share(&format!("v=1&s=manual&in={text}"));
        let _ = decode_share(&format!("v=1&sc={text}"));
    }
}
