import Foundation
import Testing
import TestSupport

/// End-to-end: `throttlectl params` and `simulate --transfer`.
struct CLIParamsTests {
    func object(_ result: BinaryRunner.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func tcModeTBFMatchesTc() throws {
        let result = try BinaryRunner.run(["params", "--rate", "10mbit", "--qdisc", "tbf", "--burst", "32KiB",
                                           "--latency", "50ms", "--mode", "tc", "--json", "--device", "veth0"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try object(result)
        #expect(json["bufferTicks"] as? Int == 409_593)
        #expect(json["kernelBufferTicks"] as? Int == 409_600)
        #expect(json["limit"] as? Int == 95_268)
        #expect(json["effectiveBurst"] as? Int == 32_768)
        #expect((json["tc"] as? [String])?.first
            == "tc qdisc replace dev veth0 root handle 7470: tbf rate 10000000bit burst 32768 latency 50000us")
    }

    @Test func safeHTBTextExplainsItself() throws {
        let result = try BinaryRunner.run(["params", "--rate", "10mbit"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("burst    6250 bytes → 78125 ticks → the kernel's bucket holds 6250 bytes"))
        #expect(result.stdout.contains("note: quantum: 125000 bytes"))
        #expect(result.stdout.contains("tc: tc class replace dev eth0 parent 7470: classid 7470:1 htb rate 10000000bit"))
    }

    @Test func tcModeWarnsWhatTheKernelWouldLog() throws {
        let result = try BinaryRunner.run(["params", "--rate", "5gbit", "--mode", "tc"])
        #expect(result.stdout.contains("warning: sch_htb: quantum of class is big. Consider r2q change."))
        #expect(result.stdout.contains("holds 1240 bytes"))
    }

    @Test func badInputsAreErrors() throws {
        let small = try BinaryRunner.run(["params", "--rate", "10mbit", "--qdisc", "tbf", "--burst", "1000"])
        #expect(small.status == 65)
        #expect(small.stderr.contains("below one frame"))
        let ambiguous = try BinaryRunner.run(["params", "--rate", "10Mbps"])
        #expect(ambiguous.status == 65)
        #expect(ambiguous.stderr.hasPrefix("--rate: \"10Mbps\" is ambiguous"))
        let both = try BinaryRunner.run(["params", "--rate", "1mbit", "--qdisc", "tbf", "--latency", "1ms", "--limit", "9000"])
        #expect(both.status == 64)
        let wrongQdisc = try BinaryRunner.run(["params", "--rate", "1mbit", "--latency", "10ms"])
        #expect(wrongQdisc.status == 64)
    }

    @Test func transferEstimateAcrossAWeekend() throws {
        // Office hours in New York: 20 Mbit/s Mon–Fri 08:00–18:30, 400 Mbit/s otherwise. Start Friday 17:00.
        let result = try BinaryRunner.run(["simulate", "--policy", BinaryRunner.example("office-hours.yaml"),
                                           "--transfer", "2TiB", "--start", "2026-11-27T17:00:00-05:00", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try object(result)
        let windows = try #require(json["windows"] as? [[String: Any]])
        #expect(windows.first?["kind"] as? String == "work-hours")
        #expect(windows.first?["bitsPerSecond"] as? Int == 20_000_000)
        #expect(windows.first?["bytes"] as? Int == 13_500_000_000)  // 90 min (5400 s) at 2.5 MB/s
        #expect(windows.first?["end"] as? String == "2026-11-27T18:30:00-05:00")
        let total = windows.compactMap { $0["bytes"] as? Int }.reduce(0, +)
        #expect(total == 2_199_023_255_552)
        // The rest at 50 MB/s: (2199023255552 − 13500000000) / 50e6 = 43710.465 s after 18:30.
        let seconds = try #require(json["seconds"] as? Double)
        #expect(abs(seconds - (5400 + (2_199_023_255_552 - 13_500_000_000) / 50_000_000.0)) < 0.01)
        #expect(json["finish"] as? String == "2026-11-28T06:38:30.465-05:00")
    }

    @Test func transferNeedsALinkSpeedForUnlimitedWindows() throws {
        let result = try BinaryRunner.run(["simulate", "--policy", BinaryRunner.example("overnight.yaml"),
                                           "--transfer", "100GB", "--start", "2026-11-27T12:00:00Z"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("--link-speed"))
        let usage = try BinaryRunner.run(["simulate", "--no-throttle", "--transfer", "1GB"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--transfer needs --start"))
    }
}
