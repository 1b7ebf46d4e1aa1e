// swift-tools-version:6.0
import PackageDescription

/// jobhunt-worker: consumes job-hunt events from RabbitMQ (librabbitmq) and applies them
/// idempotently to MongoDB (libmongoc). Modules, from the C boundary upwards:
///
/// - `CRabbitMQ`, `CMongoC`: system libraries with thin C shims.
/// - `AMQPClient`, `MongoClient`: Swift owners of the C handles; no C type escapes them.
/// - `JSON`: a strict JSON parser and value type (no Foundation, bounded depth).
/// - `JobHuntEvents`: the CloudEvents envelope, event types, decoding and validation.
/// - `JobHuntHandlers`: event semantics over a storage protocol (no database in sight).
/// - `JobHuntStore`: that storage protocol implemented on MongoDB, plus index declarations.
/// - `JobHuntWorkload`: deterministic mixed workloads for the crash tests and the benchmark.
/// - `JobHuntTesting`: what tests and the benchmark share: the independent reference model, an
///   in-memory storage, events built with `EventEncoder`, the shared servers, the test bed, the
///   worker as a child process, threads of their own for blocking work, and `waitUntil`. No
///   production module depends on it.
/// - `OperationsHTTP`: a minimal HTTP/1.1 responder for the operations endpoints (no framework).
/// - `JobHuntWorker`: configuration, AMQP topology, the consumer loop and the publisher.
/// - `jobhunt-worker`: the command line.
/// - `jobhunt-benchmark`: drain rate, ceilings, latency, memory and CPU on the local services.
let package = Package(
    name: "jobhunt-worker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jobhunt-worker", targets: ["jobhunt-worker"]),
        .executable(name: "jobhunt-benchmark", targets: ["jobhunt-benchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .systemLibrary(
            name: "CMongoC",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"])]
        ),
        .target(name: "AMQPClient", dependencies: ["CRabbitMQ"]),
        .target(name: "MongoClient", dependencies: ["CMongoC"]),
        .target(name: "JSON"),
        .target(name: "OperationsHTTP"),
        .target(name: "JobHuntEvents", dependencies: ["JSON"]),
        .target(name: "JobHuntHandlers", dependencies: ["JobHuntEvents"]),
        .target(name: "JobHuntWorkload", dependencies: ["JobHuntEvents"]),
        .target(
            name: "JobHuntStore",
            dependencies: [
                "JobHuntHandlers", "JobHuntEvents", "JSON", "MongoClient",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "JobHuntWorker",
            dependencies: [
                "AMQPClient", "JobHuntEvents", "JobHuntHandlers", "JobHuntStore", "JSON", "MongoClient", "OperationsHTTP",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ]
        ),
        .executableTarget(
            name: "jobhunt-worker",
            dependencies: [
                "JobHuntWorker", "JobHuntStore", "JobHuntHandlers", "JobHuntEvents", "JSON", "MongoClient", "OperationsHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "JobHuntTesting",
            dependencies: [
                "AMQPClient", "JSON", "JobHuntEvents", "JobHuntHandlers", "JobHuntStore", "JobHuntWorker", "JobHuntWorkload",
                "MongoClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "jobhunt-benchmark",
            dependencies: [
                "AMQPClient", "MongoClient", "JSON", "JobHuntEvents", "JobHuntHandlers", "JobHuntStore", "JobHuntWorker",
                "JobHuntWorkload", "JobHuntTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "JobHuntEventsTests", dependencies: ["JobHuntEvents", "JSON", "JobHuntTesting"]),
        .testTarget(name: "JobHuntHandlersTests", dependencies: ["JobHuntHandlers", "JobHuntEvents", "JobHuntWorkload", "JobHuntTesting"]),
        .testTarget(name: "JobHuntStoreTests", dependencies: ["JobHuntStore"]),
        .testTarget(name: "MongoClientTests", dependencies: ["MongoClient", "JobHuntTesting"]),
        .testTarget(name: "AMQPClientTests", dependencies: ["AMQPClient", "JobHuntTesting"]),
        .testTarget(name: "JobHuntWorkerTests", dependencies: ["JobHuntWorker", "JobHuntTesting", "OperationsHTTP"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "AMQPClient", "MongoClient", "JobHuntEvents", "JobHuntHandlers", "JobHuntStore", "JobHuntWorker",
                "JobHuntWorkload", "JobHuntTesting", "JSON",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
