import CoreMetrics
import JobHuntWorker
import OperationsHTTP
import Prometheus

/// The `run` command's operations endpoints (contract §7): Prometheus as the metrics backend of
/// the whole process, the HTTP server on `JOBHUNT_HTTP_ADDR`, and a MongoDB probe for readiness.
/// The one place where the metrics system is bootstrapped: libraries only use the swift-metrics API.
struct Operations {
    let health: HealthBoard
    private let server: OperationsServer?
    private let probe: DatabaseProbe?

    /// With an address: binds it (a failure says why: exit 1), bootstraps Prometheus and starts
    /// serving. Without one, metrics stay the no-op default: nobody could read them.
    init(configuration: WorkerConfiguration) throws {
        health = HealthBoard(limits: HealthBoard.Limits(configuration))
        guard let address = configuration.httpAddress else {
            server = nil
            probe = nil
            return
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["jobhunt_event_age_seconds"] = WorkerMetricsBuckets.eventAge
        MetricsSystem.bootstrap(factory)
        do {
            server = try OperationsServer(address: address)
        } catch {
            throw RuntimeFailure("JOBHUNT_HTTP_ADDR: \(error)")
        }
        do {
            probe = try DatabaseProbe(uri: configuration.mongoURI, health: health)
        } catch {
            server?.close()
            throw RuntimeFailure("cannot use MONGODB_URI: \(error)")
        }
        let routes = OperationsRoutes(health: health) {
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        server?.start { routes.respond(to: $0) }
    }

    func stop() {
        probe?.stop()
        server?.close()
    }
}
