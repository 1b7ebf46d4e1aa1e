import Foundation
import Testing

/// The deployment artifacts under `deploy/`, validated with what this machine has
/// (`deploy/validate-artifacts.sh`); the check itself is shown to refuse a broken artifact.
@Suite(.enabled(if: ChildProgram.deployScript("validate-artifacts.sh") != nil, "JOBHUNT_ROOT is not set (source deploy/env.sh)"))
struct DeployArtifactsTests {
    let script = ChildProgram.deployScript("validate-artifacts.sh") ?? ""

    @Test func theSystemdUnitVerifies() throws {
        let output = try ChildProgram.run("/bin/bash", [script])
        #expect(output.contains("systemd unit ok"))
        #expect(output.contains("Kubernetes manifests ok"))
        #expect(output.contains("Prometheus rules ok"))
    }

    @Test func aUnitWithALineSystemdIgnoresIsRefused() throws {
        let root = URL(fileURLWithPath: script).deletingLastPathComponent()
        let unit = try String(contentsOf: root.appendingPathComponent("systemd/jobhunt-worker.service"), encoding: .utf8)
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("jobhunt-broken-\(UUID().uuidString).service")
        defer { try? FileManager.default.removeItem(at: broken) }
        try unit.replacingOccurrences(of: "Restart=on-failure", with: "Restart=sometimes").write(to: broken, atomically: true, encoding: .utf8)
        #expect(throws: ChildProgramFailure.self) {
            try ChildProgram.run("/bin/bash", [script, "--unit", broken.path])
        }
    }
}
