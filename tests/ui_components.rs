//! Component tests in headless Chromium (`wasm-pack test --headless --chrome`): each component
//! renders its props into the DOM with the accessible names the end-to-end tests rely on, and
//! the whole app reacts to a click on Add/Fail/Forget.
#![cfg(all(feature = "ui", target_arch = "wasm32"))]

use wasm_bindgen_test::wasm_bindgen_test as test;
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use workqueue_playground::ui::components::failures_map::{FailuresMap, FailuresMapProps};
use workqueue_playground::ui::components::field::{Field, FieldProps};
use workqueue_playground::ui::components::items_table::{ItemsTable, ItemsTableProps};
use workqueue_playground::ui::components::live_region::{LiveRegion, LiveRegionProps};
use workqueue_playground::ui::components::row_actions::{RowActions, RowActionsProps};
use workqueue_playground::ui::components::time_controls::{TimeControls, TimeControlsProps};
use workqueue_playground::ui::view::{
    EntryStatus, FailureRow, ItemRow, ItemState, KeyText, MapCounters,
};
use workqueue_playground::ui::App;
use workqueue_playground::workqueue::Time;
use yew::platform::time::sleep;
use yew::prelude::*;

/// A fresh, attached container for one test.
fn root() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .unwrap_or_else(|| unreachable!());
    let div = document
        .create_element("div")
        .unwrap_or_else(|_| unreachable!());
    if let Some(body) = document.body() {
        let _ = body.append_child(&div);
    }
    div
}

/// Yields to the browser's event loop once, so that Yew's scheduled renders and effects run.
async fn next_turn() {
    sleep(Duration::ZERO).await;
}

/// Waits, turn by turn, until `cond` holds; fails naming `what` after 5 s of wall time.
async fn until(what: &str, cond: impl Fn() -> bool) {
    let start = js_sys::Date::now();
    while !cond() {
        assert!(
            js_sys::Date::now() - start < 5_000.0,
            "timed out waiting for {what}"
        );
        next_turn().await;
    }
}

/// For "nothing happens" checks: lets any pending render run (a count of turns, not a delay).
async fn turns(n: u32) {
    for _ in 0..n {
        next_turn().await;
    }
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

fn labels(root: &Element, selector: &str) -> Vec<String> {
    let list = root
        .query_selector_all(selector)
        .unwrap_or_else(|_| unreachable!());
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|e| {
            e.get_attribute("aria-label")
                .unwrap_or_else(|| e.text_content().unwrap_or_default())
        })
        .collect()
}

fn click(el: &Element) {
    if let Some(h) = el.dyn_ref::<HtmlElement>() {
        h.click();
    }
}

fn button(root: &Element, name: &str) -> Option<Element> {
    let list = root.query_selector_all("button").ok()?;
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .find(|b| {
            b.get_attribute("aria-label")
                .or_else(|| b.text_content())
                .as_deref()
                == Some(name)
        })
}

/// Clicks the button named `name`; a missing button fails the test.
fn click_button(root: &Element, name: &str) {
    let b = button(root, name).unwrap_or_else(|| panic!("no button named {name:?}"));
    click(&b);
}

fn failure(key: &str, requeues: u64, status: EntryStatus) -> FailureRow {
    FailureRow {
        key: KeyText::from(key),
        requeues,
        last_backoff: Some(Duration::from_millis(640)),
        next_retry: Some(Time::from_nanos(2_000_000_000)),
        status,
        capped: false,
    }
}

#[test]
async fn row_actions_carry_the_key_in_their_accessible_names() {
    let r = root();
    let clicked = Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = clicked.clone();
    let props = RowActionsProps {
        key_text: KeyText::from("ns/pod-7"),
        on_action: Callback::from(
            move |(a, k): (workqueue_playground::ui::key_action::KeyAction, KeyText)| {
                sink.borrow_mut().push(format!("{} {k}", a.name()))
            },
        ),
    };
    yew::Renderer::<RowActions>::with_root_and_props(r.clone(), props).render();
    until("the row's buttons", || labels(&r, "button").len() == 6).await;
    let names = labels(&r, "button");
    assert_eq!(
        names,
        [
            "Add ns/pod-7",
            "Fail ns/pod-7",
            "Forget ns/pod-7",
            "Done ns/pod-7",
            "Succeed ns/pod-7",
            "Delete ns/pod-7"
        ]
    );
    click_button(&r, "Fail ns/pod-7");
    assert_eq!(*clicked.borrow(), ["Fail ns/pod-7"]);
}

#[test]
async fn failures_map_has_its_caption_columns_counters_and_sorts() {
    let r = root();
    let props = FailuresMapProps {
        rows: Rc::new(vec![
            failure("ns/b", 3, EntryStatus::Live),
            failure("ns/a", 7, EntryStatus::Orphan),
        ]),
        counters: MapCounters {
            entries: 2,
            live_keys: 1,
            failing_keys: 1,
            orphans: 1,
            maps: Rc::default(),
        },
        now: Time::from_nanos(1_000_000_000),
        selected: None,
        on_action: Callback::noop(),
        on_select: Callback::noop(),
    };
    yew::Renderer::<FailuresMap>::with_root_and_props(r.clone(), props).render();
    until("the failures map's caption", || {
        find(&r, "caption").is_some()
    })
    .await;
    assert_eq!(
        find(&r, "caption")
            .and_then(|c| c.text_content())
            .as_deref(),
        Some("Failures map")
    );
    let headers = labels(&r, "thead th");
    assert_eq!(
        headers,
        ["Key ▲", "Requeues", "Last backoff", "Next retry", "Actions"]
    );
    assert_eq!(
        find(&r, "#len-failures")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("2")
    );
    let keys = || labels(&r, "tbody .key-cell button");
    assert_eq!(keys(), ["Select ns/a", "Select ns/b"]);
    let body = find(&r, "tbody")
        .and_then(|b| b.text_content())
        .unwrap_or_default();
    assert!(
        body.contains("640ms") && body.contains("in 1s") && body.contains("orphan"),
        "{body}"
    );
    // Sorting by Requeues, then descending.
    click_button(&r, "Requeues");
    until("rows sorted by Requeues", || {
        keys() == ["Select ns/b", "Select ns/a"]
    })
    .await;
    click_button(&r, "Requeues ▲");
    until("rows sorted by Requeues, descending", || {
        keys() == ["Select ns/a", "Select ns/b"]
    })
    .await;
}

#[test]
async fn a_refused_field_shows_its_reason_and_is_marked_invalid() {
    let r = root();
    let props = FieldProps {
        id: "f-base".into(),
        label: "Base delay".into(),
        value: "fast".into(),
        error: Some("invalid duration \"fast\"".into()),
        hint: None,
        mode: "text".into(),
        on_input: Callback::noop(),
    };
    yew::Renderer::<Field>::with_root_and_props(r.clone(), props).render();
    until("the field's input", || find(&r, "input#f-base").is_some()).await;
    let input = find(&r, "input#f-base").unwrap_or_else(|| unreachable!());
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("f-base-error")
    );
    assert!(find(&r, "#f-base-error")
        .and_then(|e| e.text_content())
        .is_some_and(|t| t.contains("fast")));
    assert_eq!(
        find(&r, "label")
            .and_then(|l| l.get_attribute("for"))
            .as_deref(),
        Some("f-base")
    );
}

#[test]
async fn time_controls_show_the_virtual_time_and_disable_what_cannot_happen() {
    let r = root();
    let props = TimeControlsProps {
        now: Time::from_nanos(90_500_000_000),
        playing: false,
        speed: 1000.0,
        effective: 1000.0,
        lagging: false,
        next_event: None,
        next_due: None,
        on_play_pause: Callback::noop(),
        on_step: Callback::noop(),
        on_skip: Callback::noop(),
        on_speed: Callback::noop(),
    };
    yew::Renderer::<TimeControls>::with_root_and_props(r.clone(), props).render();
    until("the virtual time", || find(&r, "#virtual-time").is_some()).await;
    assert_eq!(
        find(&r, "#virtual-time")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("t=1m30.5s")
    );
    assert!(button(&r, "Play").is_some());
    let step = button(&r, "Step").unwrap_or_else(|| unreachable!());
    assert!(step.has_attribute("disabled"));
    let slider = find(&r, "input#speed").unwrap_or_else(|| unreachable!());
    assert_eq!(
        slider.get_attribute("aria-valuetext").as_deref(),
        Some("×1000 faster")
    );
    assert_eq!(
        find(&r, "label[for=speed]")
            .and_then(|l| l.text_content())
            .as_deref(),
        Some("Speed")
    );
}

#[test]
async fn the_live_region_is_polite_and_announces_at_most_once_per_two_seconds() {
    let r = root();
    let props = |seq: u64, message: &str| LiveRegionProps {
        message: AttrValue::from(message.to_string()),
        seq,
    };
    let mut handle =
        yew::Renderer::<LiveRegion>::with_root_and_props(r.clone(), props(0, "")).render();
    until("the live region", || find(&r, "[role=status]").is_some()).await;
    let region = find(&r, "[role=status]").unwrap_or_else(|| unreachable!());
    let text = || {
        region
            .text_content()
            .unwrap_or_default()
            .trim_end_matches('\u{a0}')
            .to_string()
    };
    assert_eq!(text(), "", "exists, empty, before anything happens");
    handle.update(props(1, "Fail ns/a"));
    until("the first announcement", || text() == "Fail ns/a").await;
    let first = js_sys::Date::now();
    handle.update(props(2, "Fail ns/b"));
    turns(5).await;
    handle.update(props(3, "Forget ns/b"));
    turns(5).await;
    assert_eq!(text(), "Fail ns/a", "a burst waits for the throttle");
    // Then only the latest is announced, once the 2 s throttle has passed.
    let start = js_sys::Date::now();
    while text() != "Forget ns/b" {
        assert!(
            js_sys::Date::now() - start < 5_000.0,
            "the latest message never came: {:?}",
            text()
        );
        next_turn().await;
    }
    let waited = js_sys::Date::now() - first;
    assert!(
        waited >= 1_500.0,
        "the throttle held the burst ({waited} ms)"
    );
    handle.destroy();
}

#[test]
async fn the_app_renders_and_add_fail_forget_change_the_failures_map() {
    let r = root();
    yew::Renderer::<App>::with_root(r.clone()).render();
    until("the app's heading", || find(&r, "h1").is_some()).await;
    assert_eq!(
        find(&r, "h1").and_then(|h| h.text_content()).as_deref(),
        Some("Workqueue Playground")
    );
    assert!(
        find(&r, "[role=status]").is_some(),
        "the live region exists before it is used"
    );
    // The clock starts playing on a first visit: pause it, so only the clicks change the map.
    until("the Pause button", || button(&r, "Pause").is_some()).await;
    click_button(&r, "Pause");
    until("the Play button", || button(&r, "Play").is_some()).await;
    let input: HtmlInputElement = find(&r, "#key-input")
        .and_then(|e| e.dyn_into().ok())
        .unwrap_or_else(|| unreachable!());
    input.set_value("ns/unit");
    let _ = input.dispatch_event(&web_sys::Event::new("input").unwrap_or_else(|_| unreachable!()));
    // The buttons act on the key of the panel's latest render: let the typed key reach it
    // (Yew renders within the next turn; no observable DOM change to wait on).
    turns(2).await;
    let len = || {
        find(&r, "#len-failures")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    let newest_call = || {
        find(&r, "table.log tbody tr")
            .and_then(|row| row.text_content())
            .unwrap_or_default()
    };
    for (name, call, expected) in [
        ("Add", "queue.Add(\"ns/unit\")", "0"),
        ("Fail", "queue.AddRateLimited(\"ns/unit\")", "1"),
        ("Forget", "queue.Forget(\"ns/unit\")", "0"),
    ] {
        click_button(&r, name);
        until(&format!("the log's newest row to be {call}"), || {
            newest_call().contains(call)
        })
        .await;
        assert_eq!(len(), expected, "len(failures) after {name}");
    }
    let log = find(&r, "table.log")
        .and_then(|t| t.text_content())
        .unwrap_or_default();
    assert!(log.contains("queue.Forget(\"ns/unit\")"), "{log}");
    r.set_inner_html("");
}

fn item(key: &str, state: ItemState) -> ItemRow {
    ItemRow {
        key: KeyText::from(key),
        state,
        requeues: 0,
        ready_at: None,
        wait: None,
        capped: false,
        priority: None,
    }
}

/// An item table of `rows` with no selection, shortcuts or handlers.
fn table_props(rows: Vec<ItemRow>) -> ItemsTableProps {
    ItemsTableProps {
        rows: Rc::new(rows),
        now: Time::ZERO,
        selected: None,
        shortcuts: false,
        on_action: Callback::noop(),
        on_select: Callback::noop(),
        priorities: false,
    }
}

fn focused_label() -> Option<String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.get_attribute("aria-label"))
}

#[test]
async fn a_focused_row_button_stays_with_its_key_as_rows_come_and_go() {
    let r = root();
    let props = table_props;
    let mut handle = yew::Renderer::<ItemsTable>::with_root_and_props(
        r.clone(),
        props(vec![
            item("ns/a", ItemState::Queued),
            item("ns/b", ItemState::Queued),
        ]),
    )
    .render();
    until("the Fail ns/b button", || button(&r, "Fail ns/b").is_some()).await;
    let fail_b = button(&r, "Fail ns/b").unwrap_or_else(|| unreachable!());
    if let Some(h) = fail_b.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
    assert_eq!(focused_label().as_deref(), Some("Fail ns/b"));
    // A worker takes ns/a and a new key lands above ns/b: ns/b's row moves to another
    // position, and the focused button must move with it.
    handle.update(props(vec![
        item("ns/a", ItemState::Processing),
        item("ns/new", ItemState::Queued),
        item("ns/b", ItemState::Queued),
    ]));
    until("the new row", || button(&r, "Fail ns/new").is_some()).await;
    assert_eq!(focused_label().as_deref(), Some("Fail ns/b"));
    // The same key in two places (processing, and waiting again) is two rows.
    handle.update(props(vec![
        item("ns/b", ItemState::Processing),
        item("ns/b", ItemState::Waiting),
    ]));
    until("two rows for ns/b", || {
        labels(&r, "tbody .key-cell button") == ["Select ns/b", "Select ns/b"]
    })
    .await;
    handle.destroy();
}

#[test]
async fn a_departed_rows_dom_shows_the_arriving_item_but_never_the_focused_one() {
    let r = root();
    let props =
        |keys: &[&str]| table_props(keys.iter().map(|k| item(k, ItemState::Queued)).collect());
    let mut handle =
        yew::Renderer::<ItemsTable>::with_root_and_props(r.clone(), props(&["ns/a", "ns/b"]))
            .render();
    until("the Fail ns/a button", || button(&r, "Fail ns/a").is_some()).await;
    let row_of = |name: &str| button(&r, name).and_then(|b| b.closest("tr").ok().flatten());
    let row_a = row_of("Fail ns/a");
    // ns/a leaves and ns/z arrives: ns/a's row is patched to show ns/z, not rebuilt.
    handle.update(props(&["ns/z", "ns/b"]));
    until("the Fail ns/z button", || button(&r, "Fail ns/z").is_some()).await;
    assert!(row_a.is_some() && row_of("Fail ns/z") == row_a);
    // With focus in ns/b's row, ns/b leaves: its row must not be handed to ns/y.
    let fail_b = button(&r, "Fail ns/b").unwrap_or_else(|| unreachable!());
    if let Some(h) = fail_b.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
    assert_eq!(focused_label().as_deref(), Some("Fail ns/b"));
    handle.update(props(&["ns/z", "ns/y"]));
    until("the Fail ns/y button", || button(&r, "Fail ns/y").is_some()).await;
    assert_ne!(focused_label().as_deref(), Some("Fail ns/y"));
    assert!(
        !fail_b.is_connected(),
        "the focused key's row went with its key"
    );
    handle.destroy();
}
