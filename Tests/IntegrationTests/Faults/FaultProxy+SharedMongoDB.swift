import Foundation
import Testing

extension FaultProxy {
    /// A proxy in front of the shared MongoDB (`JOBHUNT_MONGO_PORT`), and a worker's URI through
    /// it (directConnection: a replica-set URI would lead the driver to the member's own address).
    /// A write stalled by the proxy ends when the proxy resumes (or after libmongoc's default
    /// `socketTimeoutMS`, 5 minutes).
    static func inFrontOfSharedMongoDB() throws -> (proxy: FaultProxy, uri: String) {
        let port = try #require(ProcessInfo.processInfo.environment["JOBHUNT_MONGO_PORT"].flatMap(Int.init))
        let proxy = try FaultProxy(targetPort: port)
        return (proxy, "mongodb://127.0.0.1:\(proxy.port)/?directConnection=true&w=majority")
    }
}
