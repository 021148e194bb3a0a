//! Where each preset comes from: its group in the Scenario picker, the one sentence of "people
//! expect … / it does …" it answers, and the public threads in which controller authors ran
//! into it. Plain data beside the presets (not part of the scenario JSON, so scenario files and
//! share links are unchanged); a test checks that every preset has its note.

/// The groups of the Scenario picker, in menu order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// The seed bug, its fix, and the basics around them.
    SeedStory,
    /// Confusions controller authors reported in public issues and pull requests.
    FromTheField,
    /// The same questions behind controller-runtime's `reconcileHandler` and priority queue.
    ControllerRuntime,
}

impl Group {
    /// Every group, in menu order.
    pub const ALL: [Group; 3] = [
        Group::SeedStory,
        Group::FromTheField,
        Group::ControllerRuntime,
    ];

    /// The `<optgroup>` label.
    pub fn label(self) -> &'static str {
        match self {
            Group::SeedStory => "The seed story",
            Group::FromTheField => "From the field",
            Group::ControllerRuntime => "controller-runtime",
        }
    }
}

/// A public GitHub issue or pull request a scenario comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thread {
    /// `owner/repo`.
    pub repo: &'static str,
    /// The issue or pull request number.
    pub number: u32,
    /// What the thread says that the scenario shows, in a few words.
    pub says: &'static str,
}

impl Thread {
    /// `owner/repo#number`, as GitHub writes a cross-repository reference.
    pub fn label(&self) -> String {
        format!("{}#{}", self.repo, self.number)
    }

    /// The thread's address (GitHub redirects `/issues/N` to a pull request when N is one).
    pub fn url(&self) -> String {
        format!("https://github.com/{}/issues/{}", self.repo, self.number)
    }
}

/// A preset's place in the picker and what it answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldNote {
    /// The preset id.
    pub preset: &'static str,
    /// Its picker group.
    pub group: Group,
    /// "People expect … ; it does …", one sentence; `None` for the seed story's basics, which
    /// teach the queue rather than answer a reported confusion.
    pub expectation: Option<&'static str>,
    /// The threads it comes from (may be empty).
    pub threads: &'static [Thread],
}

const fn t(repo: &'static str, number: u32, says: &'static str) -> Thread {
    Thread { repo, number, says }
}

const fn seed(preset: &'static str) -> FieldNote {
    FieldNote {
        preset,
        group: Group::SeedStory,
        expectation: None,
        threads: &[],
    }
}

const NOTES: [FieldNote; 17] = [
    seed("manual"),
    seed("seed-oom"),
    seed("fixed"),
    seed("poison"),
    seed("outage"),
    seed("dedup"),
    FieldNote {
        preset: "forget-shared",
        group: Group::FromTheField,
        expectation: Some(
            "People expect Forget to finish an item and each queue to keep its own backoff; \
             Forget only clears the limiter's failure count (the item stays queued and Done is \
             still needed), and on a limiter two queues share, one queue's Forget resets the \
             other's backoff.",
        ),
        threads: &[
            t(
                "virtual-kubelet/virtual-kubelet",
                953,
                "one rate limiter shared by two workqueues: WQ2's Forget wipes WQ1's backoff",
            ),
            t(
                "virtual-kubelet/virtual-kubelet",
                937,
                "a queue refactor that tries AddRateLimited, Forget and Done in turn and quotes Forget's doc: it stops the rate limiter tracking the item",
            ),
        ],
    },
    FieldNote {
        preset: "cap-1000s",
        group: Group::FromTheField,
        expectation: Some(
            "People expect a failing item to be retried within seconds or minutes; the default \
             limiter doubles from 5ms up to its 1000s cap, so from the 19th failure on the item \
             waits 16m40s.",
        ),
        threads: &[
            t(
                "submariner-io/submariner",
                404,
                "the ladder 5ms … 10m55.36s, 16m40s on the 19th retry; capped at 30s instead",
            ),
            t(
                "crossplane/crossplane-runtime",
                40,
                "backoff from 5ms to a little over 16 minutes makes resources reconcile much later than expected",
            ),
            t(
                "kubernetes/kubernetes",
                98656,
                "a rolling update's replica start caught in the backoff: up to 16 minutes of delay",
            ),
        ],
    },
    FieldNote {
        preset: "spurious-backoff",
        group: Group::FromTheField,
        expectation: Some(
            "People expect the backoff to double once per failed retry; every event's Add skips \
             the wait and every failed reconcile counts again, so a one-minute outage pushes the \
             key to the 16m40s cap.",
        ),
        threads: &[
            t(
                "kubernetes/kubernetes",
                132805,
                "spurious triggers fail during the backoff and raise the failure count: superexponential growth",
            ),
            t(
                "kubernetes/kubernetes",
                112325,
                "an immediate Add runs the item again without regard for the rate-limited copy still waiting",
            ),
            t(
                "kubernetes/kubernetes",
                136853,
                "ReplicaSet controller: event Adds bypass the delay and inflate the backoff to 1000s within seconds",
            ),
        ],
    },
    FieldNote {
        preset: "success-hotloop",
        group: Group::FromTheField,
        expectation: Some(
            "People expect a key that keeps failing to back off exponentially; when the \
             controller's own status write comes back as an event, the reconcile it triggers \
             succeeds and Forgets, the failure count starts over, and the key retries every \
             5ms, forever.",
        ),
        threads: &[
            t(
                "kubernetes-sigs/controller-runtime",
                1848,
                "a success on a spurious event Forgets the key, and the key hot-loops",
            ),
            t(
                "kcp-dev/kcp",
                482,
                "a syncer hot-loops: Forget right after AddRateLimited resets the rate limiter back to 0",
            ),
        ],
    },
    FieldNote {
        preset: "bucket-hours",
        group: Group::FromTheField,
        expectation: Some(
            "People expect the 1000s cap to bound every wait; the shared bucket's debt has no \
             cap, and MaxOf makes each failure wait it out: over two hours after five minutes of \
             errors.",
        ),
        threads: &[
            t(
                "submariner-io/admiral",
                898,
                "scale testing: many requeues in a short time, exponential and bucket limiters together, delays over 2 hours",
            ),
            t(
                "kubernetes-sigs/controller-runtime",
                1594,
                "a bucket-limited queue written faster than its rate waits longer each time: hours or days",
            ),
        ],
    },
    FieldNote {
        preset: "herd",
        group: Group::FromTheField,
        expectation: Some(
            "People expect retries to spread out on their own; client-go adds no jitter, so keys \
             that fail together are retried together, spaced only by the shared 10 qps bucket: \
             the last of 1000 waits 90s.",
        ),
        threads: &[t(
            "bookingcom/shipper",
            209,
            "thundering herds on every start and during outages; a JitteredRateLimiter adds jitter to each requeue",
        )],
    },
    FieldNote {
        preset: "bucket-10qps",
        group: Group::FromTheField,
        expectation: Some(
            "People expect idle workers to take retries as fast as they can; the default \
             limiter's bucket lets 10 rate-limited adds a second through for the whole \
             controller, so the retries of 1584 failed reconciles take almost two and a half minutes to come back.",
        ),
        threads: &[
            t(
                "kubernetes-sigs/controller-runtime",
                631,
                "the default limiter: exponential 5ms … ~16 minutes and 10 requeues per second on average",
            ),
            t(
                "kubernetes-sigs/controller-runtime",
                731,
                "made the workqueue rate limiter a controller option",
            ),
        ],
    },
    FieldNote {
        preset: "numrequeues-restart",
        group: Group::FromTheField,
        expectation: Some(
            "People expect NumRequeues to count processings and to survive restarts; it is the \
             limiter's in-memory count of When calls, so a redeploy sets it back to 0 and a \
             retry cap built on it never fires.",
        ),
        threads: &[
            t(
                "kubernetes-sigs/controller-runtime",
                686,
                "asks for NumRequeues to enforce a BackoffLimit; a maintainer notes it is not kept across controller restarts",
            ),
            t(
                "kubernetes/kubernetes",
                64787,
                "the Job controller used NumRequeues as its backoff count, but requeues for other reasons bump it too",
            ),
        ],
    },
    FieldNote {
        preset: "retries-vs-adds",
        group: Group::FromTheField,
        expectation: Some(
            "People read workqueue_retries_total as failed attempts; it counts every AddAfter, \
             AddRateLimited included, so a controller that enqueues with AddRateLimited shows \
             retries ≈ adds with no error at all.",
        ),
        threads: &[t(
            "kubernetes/kubernetes",
            106513,
            "controller-manager shows workqueue_adds_total and workqueue_retries_total 1 to 1",
        )],
    },
    FieldNote {
        preset: "cr-requeue-polling",
        group: Group::ControllerRuntime,
        expectation: Some(
            "People expect Requeue: true to poll at a steady pace; it is a rate-limited add with \
             no Forget, so the interval doubles toward 1000s, while RequeueAfter (Forget, then \
             add after) polls steadily, and returning an error ignores RequeueAfter.",
        ),
        threads: &[
            t(
                "kubernetes-sigs/controller-runtime",
                808,
                "which Reconcile returns trigger the exponential backoff is not clear",
            ),
            t(
                "kubernetes-sigs/controller-runtime",
                1534,
                "asks for a steadily increasing RequeueAfter; answer: Requeue: true already backs off",
            ),
            t(
                "hashicorp/vault-secrets-operator",
                18,
                "RequeueAfter only works with a nil error; with an error the key is requeued right away",
            ),
            t(
                "kubernetes-sigs/controller-runtime",
                392,
                "RequeueAfter loops never reset their failure count (fixed: Forget before the add)",
            ),
        ],
    },
    FieldNote {
        preset: "cr-terminal-leak",
        group: Group::ControllerRuntime,
        expectation: Some(
            "People expect a TerminalError to end a key's retries and its bookkeeping; \
             reconcileHandler neither re-adds it nor calls Forget, so when the object is then \
             deleted its failures entry stays for the life of the process.",
        ),
        threads: &[],
    },
];

/// The note of a preset, if it has one.
pub fn field_note(preset: &str) -> Option<&'static FieldNote> {
    NOTES.iter().find(|n| n.preset == preset)
}

/// The presets of `group`, in menu order.
pub fn presets_in(group: Group) -> impl Iterator<Item = &'static str> {
    NOTES
        .iter()
        .filter(move |n| n.group == group)
        .map(|n| n.preset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::PRESET_IDS;

    #[test]
    fn every_preset_has_one_note_and_the_menu_order_is_kept() {
        let ids: Vec<&str> = NOTES.iter().map(|n| n.preset).collect();
        assert_eq!(ids, PRESET_IDS.to_vec());
        let grouped: Vec<&str> = Group::ALL.iter().flat_map(|g| presets_in(*g)).collect();
        assert_eq!(grouped, PRESET_IDS.to_vec(), "groups are contiguous");
        assert!(field_note("nope").is_none());
    }

    #[test]
    fn field_presets_say_what_people_expect_and_threads_are_well_formed() {
        for n in NOTES.iter().filter(|n| n.group != Group::SeedStory) {
            let e = n.expectation.unwrap_or_else(|| panic!("{}", n.preset));
            assert!(e.starts_with("People "), "{}", n.preset);
            assert!(e.ends_with('.'), "{}", n.preset);
        }
        for th in NOTES.iter().flat_map(|n| n.threads) {
            let (owner, repo) = th.repo.split_once('/').expect("owner/repo");
            assert!(!owner.is_empty() && !repo.is_empty() && !repo.contains('/'));
            assert!(th.number > 0 && !th.says.is_empty());
            assert_eq!(
                th.url(),
                format!("https://github.com/{owner}/{repo}/issues/{}", th.number)
            );
        }
        let t = &field_note("cap-1000s").unwrap().threads[0];
        assert_eq!(t.label(), "submariner-io/submariner#404");
    }
}
