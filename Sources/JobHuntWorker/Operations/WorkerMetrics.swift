import CoreMetrics
import JobHuntEvents
import JobHuntHandlers

/// Every metric the worker reports (contract §7), through the swift-metrics API: the names and
/// labels live here and nowhere else. Whoever runs the worker chooses the backend (the `run`
/// command bootstraps Prometheus); without one, these are no-ops.
///
/// A label only ever holds a value from a small fixed set (a queue, an event type, an outcome,
/// a reason), never a user, job or event id, nor anything from a URL.
enum WorkerMetrics {
    /// What became of one delivered event: the `outcome` label of `jobhunt_events_total`.
    enum Outcome: String, CaseIterable {
        case applied, unchanged, retried
        case deadLettered = "dead_lettered"
    }

    /// Counts one written batch's settled events, `outcomes` by event type (raw, as read).
    static func events(_ outcomes: [EventOutcomeKey: Int]) {
        for (key, count) in outcomes {
            Counter(label: "jobhunt_events_total", dimensions: [("type", key.type), ("outcome", key.outcome.rawValue)])
                .increment(by: count)
        }
    }

    /// Counts one recorded dead letter.
    static func deadLetter(_ reason: DeadLetterReason) {
        Counter(label: "jobhunt_dead_letters_total", dimensions: [("reason", reason.rawValue)]).increment()
    }

    /// How long writing one batch took (the database side, outages waited out included).
    static func batchDuration(queue: String, _ duration: Duration) {
        Timer(label: "jobhunt_batch_duration_seconds", dimensions: [("queue", queue)])
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Commit time minus each event's own `time`, in milliseconds, for one batch's events of one
    /// type (an event from the future counts as 0). One metric handle per call, not per event.
    static func eventAges(type: String, milliseconds: [Int64]) {
        let timer = Timer(label: "jobhunt_event_age_seconds", dimensions: [("type", typeLabel(type))])
        for age in milliseconds { timer.recordMilliseconds(max(0, age)) }
    }

    /// Whether every consumer of `queue` holds an open channel.
    static func consumerUp(queue: String, _ up: Bool) {
        Gauge(label: "jobhunt_consumer_up", dimensions: [("queue", queue)]).record(up ? 1 : 0)
    }

    /// A known event type's name, else `unknown`: a message can claim any type, and a label
    /// must not take arbitrary values.
    static func typeLabel(_ type: String?) -> String {
        guard let type, EventType(rawValue: type) != nil else { return "unknown" }
        return type
    }
}

/// The labels of one `jobhunt_events_total` series.
struct EventOutcomeKey: Hashable {
    let type: String
    let outcome: WorkerMetrics.Outcome

    init(type: String?, outcome: WorkerMetrics.Outcome) {
        self.type = WorkerMetrics.typeLabel(type)
        self.outcome = outcome
    }
}

/// Histogram buckets that differ from the backend's defaults, for whoever bootstraps it.
public enum WorkerMetricsBuckets {
    /// The buckets of `jobhunt_event_age_seconds`: from the usual sub-second latency up to the
    /// retry window and a replay of old dead letters (a day).
    public static let eventAge: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
        .seconds(86_400),
    ]
}
