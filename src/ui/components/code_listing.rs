//! The Go listings of the code panel: the seed story's buggy controller, the fixed controller
//! (sample-controller's pattern, Typed API), a brief quote of client-go's limiter internals, and
//! of controller-runtime's event handler, reconcile handler and priority queue.
//! Each interesting line carries a [`CodeLine`] anchor, so events and leak findings can point
//! at it. The controllers are written in our own words; the internals are short excerpts with a
//! link to the source.

use crate::sim::code_trace::{CodeLine, CodeTab};

/// One line of a listing, and its anchor if events or findings point at it.
pub type Line = (&'static str, Option<CodeLine>);

const BUGGY: &[Line] = &[
    (
        "// The controller from the seed story (our own words).",
        None,
    ),
    (
        "queue := workqueue.NewTypedRateLimitingQueueWithConfig(",
        None,
    ),
    (
        "    workqueue.DefaultTypedControllerRateLimiter[string](),",
        None,
    ),
    (
        "    workqueue.TypedRateLimitingQueueConfig[string]{Name: \"pods\"},",
        None,
    ),
    (")", None),
    ("", None),
    (
        "// Informer handler for AddFunc / UpdateFunc / DeleteFunc.",
        None,
    ),
    ("func (c *Controller) enqueue(obj interface{}) {", None),
    ("    key, _ := cache.MetaNamespaceKeyFunc(obj)", None),
    (
        "    c.queue.AddRateLimited(key) // BUG: a change is not a failure",
        Some(CodeLine::ChangeRateLimited),
    ),
    ("}", None),
    ("", None),
    ("func (c *Controller) processNextWorkItem() bool {", None),
    ("    key, shutdown := c.queue.Get()", Some(CodeLine::Get)),
    ("    if shutdown {", None),
    ("        return false", None),
    ("    }", None),
    ("    defer c.queue.Done(key)", Some(CodeLine::Done)),
    (
        "    if err := c.syncHandler(key); err != nil {",
        Some(CodeLine::Sync),
    ),
    (
        "        c.queue.AddRateLimited(key)",
        Some(CodeLine::RetryRateLimited),
    ),
    ("        return true", None),
    ("    }", None),
    (
        "    return true // BUG: no c.queue.Forget(key); the entry stays forever",
        Some(CodeLine::MissingForget),
    ),
    ("}", None),
];

const FIXED: &[Line] = &[
    (
        "// sample-controller's pattern (our own words): Add on change,",
        None,
    ),
    ("// AddRateLimited on error, Forget on success.", None),
    (
        "queue := workqueue.NewTypedRateLimitingQueueWithConfig(",
        None,
    ),
    (
        "    workqueue.DefaultTypedControllerRateLimiter[string](),",
        None,
    ),
    (
        "    workqueue.TypedRateLimitingQueueConfig[string]{Name: \"pods\"},",
        None,
    ),
    (")", None),
    ("", None),
    ("func (c *Controller) enqueue(obj interface{}) {", None),
    ("    key, err := cache.MetaNamespaceKeyFunc(obj)", None),
    ("    if err != nil {", None),
    ("        utilruntime.HandleError(err)", None),
    ("        return", None),
    ("    }", None),
    (
        "    c.queue.Add(key) // a change is new work, not a retry",
        Some(CodeLine::ChangeAdd),
    ),
    ("}", None),
    ("", None),
    ("func (c *Controller) processNextWorkItem() bool {", None),
    ("    key, shutdown := c.queue.Get()", Some(CodeLine::Get)),
    ("    if shutdown {", None),
    ("        return false", None),
    ("    }", None),
    ("    defer c.queue.Done(key)", Some(CodeLine::Done)),
    (
        "    if err := c.syncHandler(key); err != nil {",
        Some(CodeLine::Sync),
    ),
    ("        if c.queue.NumRequeues(key) >= maxRetries {", None),
    (
        "            c.queue.Forget(key) // give up: drop the key",
        Some(CodeLine::GiveUp),
    ),
    ("            return true", None),
    ("        }", None),
    (
        "        c.queue.AddRateLimited(key) // retry with backoff",
        Some(CodeLine::RetryRateLimited),
    ),
    ("        return true", None),
    ("    }", None),
    (
        "    c.queue.Forget(key) // success: delete its failures entry",
        Some(CodeLine::ForgetOnSuccess),
    ),
    ("    return true", None),
    ("}", None),
];

const INTERNALS: &[Line] = &[
    (
        "// client-go util/workqueue, brief excerpts (see the links above).",
        None,
    ),
    ("// rate_limiting_queue.go", None),
    (
        "func (q *rateLimitingType[T]) AddRateLimited(item T) {",
        None,
    ),
    (
        "    q.TypedDelayingInterface.AddAfter(item, q.rateLimiter.When(item))",
        Some(CodeLine::AddAfter),
    ),
    ("}", None),
    ("", None),
    (
        "// default_rate_limiters.go: the controller default is the max of",
        None,
    ),
    (
        "// a per-item exponential (5ms…1000s) and a shared bucket (10 qps, burst 100).",
        None,
    ),
    (
        "func (r *TypedItemExponentialFailureRateLimiter[T]) When(item T) time.Duration {",
        None,
    ),
    ("    r.failuresLock.Lock()", None),
    ("    defer r.failuresLock.Unlock()", None),
    ("    exp := r.failures[item]", None),
    (
        "    r.failures[item] = r.failures[item] + 1",
        Some(CodeLine::FailuresIncrement),
    ),
    (
        "    backoff := float64(r.baseDelay.Nanoseconds()) * math.Pow(2, float64(exp))",
        None,
    ),
    ("    if backoff > math.MaxInt64 {", None),
    ("        return r.maxDelay", None),
    ("    }", None),
    ("    calculated := time.Duration(backoff)", None),
    ("    if calculated > r.maxDelay {", None),
    ("        return r.maxDelay", Some(CodeLine::Cap)),
    ("    }", None),
    ("    return calculated", None),
    ("}", None),
    ("", None),
    (
        "func (r *TypedItemExponentialFailureRateLimiter[T]) Forget(item T) {",
        None,
    ),
    ("    r.failuresLock.Lock()", None),
    ("    defer r.failuresLock.Unlock()", None),
    (
        "    delete(r.failures, item)",
        Some(CodeLine::FailuresDelete),
    ),
    ("}", None),
    ("", None),
    (
        "func (r *TypedBucketRateLimiter[T]) When(item T) time.Duration {",
        None,
    ),
    (
        "    return r.Limiter.Reserve().Delay()",
        Some(CodeLine::BucketReserve),
    ),
    ("}", None),
];

const CONTROLLER_RUNTIME: &[Line] = &[
    ("// controller-runtime v0.25.3, brief excerpts (sources linked above).", None),
    ("// pkg/handler/eventhandler.go: a create, update or delete event", None),
    ("var priority *int // nil: priority 0", None),
    ("if evt.IsInInitialList {", None),
    ("    priority = new(LowPriority) // -100", None),
    ("}", None),
    (
        "priorityQueue.AddWithOpts(priorityqueue.AddOpts{Priority: priority}, item)",
        Some(CodeLine::CrEnqueue),
    ),
    ("", None),
    ("// pkg/internal/controller/controller.go", None),
    ("func (c *Controller[request]) processNextWorkItem(ctx context.Context) bool {", None),
    (
        "    obj, priority, shutdown := c.Queue.GetWithPriority()",
        Some(CodeLine::CrGet),
    ),
    ("    if shutdown {", None),
    ("        return false", None),
    ("    }", None),
    ("    defer c.Queue.Done(obj)", Some(CodeLine::CrDone)),
    ("    c.reconcileHandler(ctx, obj, priority)", None),
    ("    return true", None),
    ("}", None),
    ("", None),
    ("func (c *Controller[request]) reconcileHandler(ctx context.Context, req request, priority int) {", None),
    (
        "    result, err := c.Reconcile(ctx, req)",
        Some(CodeLine::CrReconcile),
    ),
    ("    if result.Priority != nil {", None),
    ("        priority = *result.Priority", None),
    ("    }", None),
    ("    switch {", None),
    ("    case err != nil:", None),
    ("        if errors.Is(err, reconcile.TerminalError(nil)) {", None),
    (
        "            ctrlmetrics.TerminalReconcileErrors.WithLabelValues(c.Name).Inc() // no add, no Forget",
        Some(CodeLine::CrTerminal),
    ),
    ("        } else {", None),
    (
        "            c.Queue.AddWithOpts(priorityqueue.AddOpts{RateLimited: true, Priority: new(priority)}, req)",
        Some(CodeLine::CrErrorAdd),
    ),
    ("        }", None),
    ("    case result.RequeueAfter > 0:", None),
    ("        c.Queue.Forget(req)", Some(CodeLine::CrRequeueAfterForget)),
    (
        "        c.Queue.AddWithOpts(priorityqueue.AddOpts{After: result.RequeueAfter, Priority: new(priority)}, req)",
        Some(CodeLine::CrRequeueAfterAdd),
    ),
    ("    case result.Requeue:", None),
    (
        "        c.Queue.AddWithOpts(priorityqueue.AddOpts{RateLimited: true, Priority: new(priority)}, req)",
        Some(CodeLine::CrRequeueAdd),
    ),
    ("    default:", None),
    ("        c.Queue.Forget(req)", Some(CodeLine::CrSuccessForget)),
    ("    }", None),
    ("}", None),
    ("", None),
    ("// pkg/controller/priorityqueue/priorityqueue.go: lockedAddWithOpts, per key", None),
    ("after := o.After", None),
    ("if o.RateLimited {", None),
    ("    rlAfter := w.rateLimiter.When(key)", Some(CodeLine::PqWhen)),
    ("    if after == 0 || rlAfter < after {", None),
    ("        after = rlAfter", None),
    ("    }", None),
    ("}", None),
    ("// ... a key already in w.items:", None),
    ("if w.items[key].ReadyAt == nil {", None),
    (
        "    readyAt = nil // ready stays ready: one entry, not two",
        Some(CodeLine::PqReadyWins),
    ),
    ("} else if readyAt != nil && w.items[key].ReadyAt.Before(*readyAt) {", None),
    ("    readyAt = w.items[key].ReadyAt // the earlier readiness wins", None),
    ("}", None),
    (
        "if newPriority := ptr.Deref(o.Priority, 0); newPriority > w.items[key].Priority {",
        Some(CodeLine::PqRaise),
    ),
    ("    priority = newPriority // and a new addedCounter", None),
    ("}", None),
];

/// Where the internals excerpts come from.
pub const SOURCES: [(&str, &str); 2] = [
    (
        "default_rate_limiters.go",
        "https://github.com/kubernetes/client-go/blob/master/util/workqueue/default_rate_limiters.go",
    ),
    (
        "rate_limiting_queue.go",
        "https://github.com/kubernetes/client-go/blob/master/util/workqueue/rate_limiting_queue.go",
    ),
];

/// Where the controller-runtime excerpts come from.
pub const CR_SOURCES: [(&str, &str); 3] = [
    (
        "eventhandler.go",
        "https://github.com/kubernetes-sigs/controller-runtime/blob/v0.25.3/pkg/handler/eventhandler.go",
    ),
    (
        "controller.go",
        "https://github.com/kubernetes-sigs/controller-runtime/blob/v0.25.3/pkg/internal/controller/controller.go",
    ),
    (
        "priorityqueue.go",
        "https://github.com/kubernetes-sigs/controller-runtime/blob/v0.25.3/pkg/controller/priorityqueue/priorityqueue.go",
    ),
];

/// The listing of a tab.
pub fn listing(tab: CodeTab) -> &'static [Line] {
    match tab {
        CodeTab::Buggy => BUGGY,
        CodeTab::Fixed => FIXED,
        CodeTab::Internals => INTERNALS,
        CodeTab::ControllerRuntime => CONTROLLER_RUNTIME,
    }
}

/// The listing as plain text, for the copy button.
pub fn text(tab: CodeTab) -> String {
    let mut out = String::new();
    for (line, _) in listing(tab) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The 1-based line number of `anchor` in `tab`'s listing, if it appears there.
pub fn line_number(tab: CodeTab, anchor: CodeLine) -> Option<usize> {
    listing(tab)
        .iter()
        .position(|(_, a)| *a == Some(anchor))
        .map(|i| i + 1)
}
