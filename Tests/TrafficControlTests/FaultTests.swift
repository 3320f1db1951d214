import Foundation
import Testing
import TestSupport
import TrafficControl

extension KernelSuites {
    /// Faults during `apply` and `clear`, in namespaces, through the debug build's hooks (see TestHooks.swift):
    /// SIGKILL after every write, a netlink failure at every write, concurrent runs, a vanishing interface.
    @Suite struct FaultTests {
        typealias Rig = ApplyCommandTests.Rig
        static let workHours = ApplyCommandTests.workHours
        static let evening = ApplyCommandTests.evening
        /// apply from nothing: create-ifb, mark-ifb, link-up, add-qdisc ×2, add-filter ×2, add-qdisc.
        static let freshSteps = 8

        func hooked(_ rig: Rig, _ arguments: [String], _ environment: [String: String]) throws -> BinaryRunner.Result {
            var arguments = arguments
            arguments += ["--state-dir", rig.stateDirectory, "--run-dir", rig.runDirectory]
            return try BinaryRunner.run(arguments, environment: environment.merging(["TZ": "Etc/UTC"]) { $1 },
                                        prefix: ["ip", "netns", "exec", rig.namespace.name])
        }

        func applyArguments(_ instant: String) -> [String] {
            ["apply", "--policy", ApplyCommandTests.policy, "-i", "v0", "--at", instant, "--json"]
        }

        func changed(_ result: BinaryRunner.Result) -> Bool? {
            (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["changed"] as? Bool
        }

        @Test(arguments: 1...freshSteps)
        func aKilledApplyConvergesAndClearLeavesNothing(step: Int) throws {
            try KernelGate.check()
            let rig = try Rig()
            let pristine = try rig.namespace.fullDump()
            let killed = try hooked(rig, applyArguments(Self.workHours), ["THROTTLECTL_TEST_KILL_AFTER_STEP": "\(step)"])
            #expect(killed.status == 9, "SIGKILL after step \(step): \(killed.stderr)")
            let next = try rig.apply(at: Self.workHours)
            // Killed after the last write, the run had done everything: the next one has nothing to do.
            #expect(next.status == 0 && changed(next) == (step < Self.freshSteps), "\(next.stderr)")
            let settled = try rig.apply(at: Self.workHours)
            #expect(settled.status == 0 && changed(settled) == false, "converged: \(settled.stdout)")
            // Killed again, this time in the middle of clear.
            let clearKilled = try hooked(rig, ["clear", "-i", "v0"], ["THROTTLECTL_TEST_KILL_AFTER_STEP": "\(min(step, 3))"])
            #expect(clearKilled.status == 9)
            let cleared = try rig.throttlectl(["clear", "-i", "v0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            #expect(try rig.namespace.fullDump() == pristine)
        }

        @Test(arguments: 1...freshSteps)
        func aFailedWriteRollsBackToTheExactPriorState(step: Int) throws {
            try KernelGate.check()
            let rig = try Rig()
            let pristine = try rig.namespace.fullDump()
            let failed = try hooked(rig, applyArguments(Self.workHours), ["THROTTLECTL_TEST_FAIL_AT_STEP": "\(step)"])
            #expect(failed.status == 1, "\(failed.stderr)")
            #expect(failed.stderr.contains("rolled back"), "\(failed.stderr)")
            #expect(try rig.namespace.fullDump() == pristine, "fresh apply failing at step \(step)")

            #expect(try rig.apply(at: Self.workHours).status == 0)
            let shaped = try rig.namespace.fullDump()
            if step <= 2 {  // the evening transition has two writes
                let transition = try hooked(rig, applyArguments(Self.evening), ["THROTTLECTL_TEST_FAIL_AT_STEP": "\(step)"])
                #expect(transition.status == 1)
                #expect(try rig.namespace.fullDump() == shaped, "transition failing at step \(step)")
            }
            if step <= 3 {  // clear has three writes: the ingress qdisc (with our filters), the root, the IFB
                let clear = try hooked(rig, ["clear", "-i", "v0", "--json"], ["THROTTLECTL_TEST_FAIL_AT_STEP": "\(step)"])
                #expect(clear.status == 1, "\(clear.stderr)")
                #expect(try rig.namespace.fullDump() == shaped, "clear failing at step \(step)")
            }
        }

        @Test(arguments: 1...3)  // fails write 2, 5 or 8
        func aFailedForcedApplyKeepsTheRecordAsItWas(step: Int) throws {
            try KernelGate.check()
            let rig = try Rig()
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "1:", "pfifo", "limit", "42"])
            let before = try rig.namespace.fullDump()
            let failed = try hooked(rig, applyArguments(Self.workHours) + ["--force"],
                                    ["THROTTLECTL_TEST_FAIL_AT_STEP": "\(step * 3 - 1)"])
            #expect(failed.status == 1, "\(failed.stderr)")
            #expect(try rig.namespace.fullDump() == before)
            #expect(!FileManager.default.fileExists(atPath: rig.stateDirectory + "/v0.root.json"),
                    "a run that changed nothing leaves no record behind")
        }

        @Test func twentyRunsOnOneInterfaceAreSerialised() throws {
            try KernelGate.check()
            let rig = try Rig()
            let runs = try (0..<20).map { number in
                try BackgroundRun(applyArguments(number % 2 == 0 ? Self.workHours : Self.evening)
                    + ["--state-dir", rig.stateDirectory, "--run-dir", rig.runDirectory, "--wait", "0.05"],
                    namespace: rig.namespace.name)
            }
            let results = runs.map { $0.wait() }
            #expect(results.allSatisfy { [0, 75].contains($0.status) }, "\(results.map { ($0.status, $0.stderr) })")
            let won = results.filter { $0.status == 0 }
            #expect(!won.isEmpty)
            for lost in results where lost.status == 75 { #expect(lost.stderr.contains("another throttlectl holds")) }
            let lines = try String(contentsOfFile: rig.stateDirectory + "/journal.jsonl", encoding: .utf8)
                .split(separator: "\n")
            for line in lines {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)")
            }
            #expect(lines.count == won.filter { changed($0) == true }.count)
            let settled = try rig.apply(at: Self.workHours)
            #expect(settled.status == 0, "the interface is in a state apply understands")
        }

        @Test func twentyRunsOnTwentyInterfacesAllSucceed() throws {
            try KernelGate.check()
            let rig = try Rig()
            let names = (0..<20).map { "c\($0)" }
            for name in names {
                try rig.namespace.exec(["ip", "link", "add", name, "type", "veth", "peer", "name", "p\(name)"])
                try rig.namespace.exec(["ip", "link", "set", name, "up"])
            }
            let runs = try names.map { name in
                try BackgroundRun(["apply", "--policy", ApplyCommandTests.policy, "-i", name, "--at", Self.workHours,
                                   "--state-dir", rig.stateDirectory, "--run-dir", rig.runDirectory],
                                  namespace: rig.namespace.name)
            }
            let results = runs.map { $0.wait() }
            #expect(results.allSatisfy { $0.status == 0 }, "\(results.map { ($0.status, $0.stderr) })")
            let lines = try String(contentsOfFile: rig.stateDirectory + "/journal.jsonl", encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.count == 20)
            var interfaces = Set<String>()
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                interfaces.insert(object["interface"] as? String ?? "")
            }
            #expect(interfaces == Set(names))
            for name in names {
                let ifb = Ownership.ifbName(forIndex: try rig.namespace.index(of: name))
                #expect(try rig.namespace.tc(["qdisc", "show", "dev", ifb]).output.contains("tbf 7470: root"))
            }
        }

        @Test func theInterfaceDeletedMidApply() throws {
            try KernelGate.check()
            let rig = try Rig()
            let gate = rig.base + "/go"
            try FileManager.default.createDirectory(atPath: rig.base, withIntermediateDirectories: true)
            let run = try BackgroundRun(applyArguments(Self.workHours)
                + ["--state-dir", rig.stateDirectory, "--run-dir", rig.runDirectory],
                namespace: rig.namespace.name,
                environment: ["THROTTLECTL_TEST_PAUSE_AT_STEP": "4", "THROTTLECTL_TEST_PAUSE_FILE": gate])
            for _ in 0..<1000 where !FileManager.default.fileExists(atPath: gate + ".paused") { usleep(10_000) }
            try rig.namespace.exec(["ip", "link", "del", "v0"])
            _ = FileManager.default.createFile(atPath: gate, contents: nil)
            let result = run.wait()
            #expect(result.status == 75, "\(result.stderr)")
            // Whatever the rollback could not undo, clear removes: nothing of ours is left.
            _ = try rig.throttlectl(["clear", "-i", "v0"])
            let links = try rig.namespace.exec(["ip", "-o", "link", "show"]).output
            #expect(!links.contains("ifb-t"), "\(links)")
        }

        @Test func aKilledApplyThenADeletedInterfaceLeavesAnOrphanThatClearRemoves() throws {
            try KernelGate.check()
            let rig = try Rig()
            #expect(try hooked(rig, applyArguments(Self.workHours), ["THROTTLECTL_TEST_KILL_AFTER_STEP": "4"]).status == 9)
            try rig.namespace.exec(["ip", "link", "del", "v0"])
            #expect(try rig.namespace.exec(["ip", "-o", "link", "show"]).output.contains("ifb-t"))
            let cleared = try rig.throttlectl(["clear", "-i", "v0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            #expect(!(try rig.namespace.exec(["ip", "-o", "link", "show"]).output.contains("ifb-t")))
        }
    }
}
