import Foundation

/// A test's view of the worker's operations endpoints: one HTTP GET on loopback over a plain
/// socket (no HTTP library in the tests), and the values of Prometheus text lines.
public enum OperationsClient {
    /// The status and body of `GET path` on 127.0.0.1:`port`; nil when nothing answers.
    public static func get(_ path: String, port: Int) -> (status: Int, body: String)? {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { return nil }
        defer { close(handle) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = LoopbackAddress.make(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(handle, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(handle, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            reply += buffer[0..<count]
        }
        let text = String(decoding: reply, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let statusLine = text[..<split.lowerBound].prefix { $0 != "\r" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        return (status, String(text[split.upperBound...]))
    }

    /// The samples of metric `name` in Prometheus text `exposition`, each with its labels.
    public static func samples(_ name: String, in exposition: String) -> [(labels: [String: String], value: Double)] {
        exposition.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                return nil
            }
            let series = line[..<space]
            let metric = series.prefix { $0 != "{" }
            guard metric == name else { return nil }
            var labels: [String: String] = [:]
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { labels[String(parts[0])] = String(parts[1].dropFirst().dropLast()) }
                }
            }
            return (labels, value)
        }
    }

    /// The value of metric `name`'s sample with exactly `labels`, if there is one.
    public static func value(_ name: String, _ labels: [String: String] = [:], in exposition: String) -> Double? {
        samples(name, in: exposition).first { $0.labels == labels }?.value
    }
}
