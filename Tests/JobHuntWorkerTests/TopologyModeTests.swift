import JobHuntWorker
import Testing

@Suite struct TopologyModeTests {
    @Test func theWorkerDeclaresUnlessToldTheOperatorDid() throws {
        #expect(try WorkerConfiguration(environment: [:]).topologyMode == .declare)
        #expect(try WorkerConfiguration(environment: ["JOBHUNT_TOPOLOGY": "verify"]).topologyMode == .verify)
        #expect(try WorkerConfiguration(environment: ["JOBHUNT_TOPOLOGY": "declare"]).topologyMode == .declare)
    }

    @Test func anUnknownModeIsRefusedNamingTheVariableAndTheChoices() {
        #expect {
            _ = try WorkerConfiguration(environment: ["JOBHUNT_TOPOLOGY": "central"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("JOBHUNT_TOPOLOGY") && text.contains("declare, verify") && text.contains("'central'")
        }
    }
}
