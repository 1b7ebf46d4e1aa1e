import JSON
import OperationsHTTP

/// The three endpoints of contract §7 as responses: which path answers what, in one place.
public struct OperationsRoutes: Sendable {
    private let health: HealthBoard
    private let metricsText: @Sendable () -> String

    /// Endpoints reporting `health`; `/metrics` serves what `metricsText` renders (the backend's
    /// exposition format, Prometheus text for the `run` command).
    public init(health: HealthBoard, metricsText: @escaping @Sendable () -> String) {
        self.health = health
        self.metricsText = metricsText
    }

    public func respond(to path: String) -> HTTPResponse {
        switch path {
        case "/livez": Self.verdict(health.liveness(), good: "live", bad: "stuck")
        case "/readyz": Self.verdict(health.readiness(), good: "ready", bad: "not ready")
        case "/metrics": HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metricsText())
        default: HTTPResponse(status: 404, body: "not found: try /livez, /readyz or /metrics\n")
        }
    }

    /// 200 or 503 with a short JSON body: `{"status":"not ready","missing":["..."]}`.
    static func verdict(_ verdict: HealthBoard.Verdict, good: String, bad: String) -> HTTPResponse {
        let body: JSONValue = verdict.ok
            ? .object(JSONObject([(key: "status", value: .string(good))]))
            : .object(JSONObject([(key: "status", value: .string(bad)), (key: "missing", value: .array(verdict.problems.map(JSONValue.string)))]))
        return HTTPResponse(status: verdict.ok ? 200 : 503, contentType: "application/json", body: body.serialized() + "\n")
    }
}
