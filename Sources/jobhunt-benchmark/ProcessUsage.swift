import Foundation

/// Resident memory and CPU time of a process, read from /proc (Linux).
struct ProcessUsage {
    /// Peak resident set size, in bytes (VmHWM).
    let peakResidentBytes: Int
    /// User plus system CPU time, in seconds.
    let cpuSeconds: Double

    static func of(pid: Int32) -> ProcessUsage? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        let hwmLine = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kilobytes = hwmLine.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        // Fields after the command name (which may contain spaces) start after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let utime = Double(fields.count > 11 ? fields[11] : "0") ?? 0
        let stime = Double(fields.count > 12 ? fields[12] : "0") ?? 0
        return ProcessUsage(peakResidentBytes: kilobytes * 1024, cpuSeconds: (utime + stime) / ticks)
    }
}
