import Foundation
import Logging
import Testing
import TestSupport
import ThrottlePolicy
import TokenBucket
import TrafficControl

@testable import ThrottlectlCLI

#if canImport(Glibc)
    import Glibc
#endif

extension KernelSuites {
    /// The daemon's loop on an injected clock against the real kernel in a namespace: a week of schedule (and
    /// ten thousand transitions) in seconds of test time.
    @Suite struct DaemonVirtualClockTests {
        /// Collects the daemon's log lines.
        final class LogLines: @unchecked Sendable {
            private let lock = NSLock()
            private var lines: [String] = []
            func append(_ line: String) {
                lock.lock()
                lines.append(line)
                lock.unlock()
            }
            var all: [String] {
                lock.lock()
                defer { lock.unlock() }
                return lines
            }
        }

        /// Berlin, Monday to Saturday, an overnight window 22:00–06:00, Wednesday 24 March 2027 a holiday; the
        /// clocks go forward on Sunday 28 March 2027 (02:00 CET → 03:00 CEST) inside Saturday night's window.
        static let policy = """
            throttling: true
            time-zone: Europe/Berlin
            work-days: mon-sat
            work-hours: {start: "22:00", end: "06:00"}
            work-hour-bandwidth: 1mbit
            non-work-hour-bandwidth: 4mbit
            exception-dates: [2027-03-24]

            """

        /// Every transition of that week, worked out by hand (UTC), and the window each one opens.
        static let expected: [(String, WindowKind)] = [
            ("2027-03-22T11:00:00Z", .nonWorkHours),  // the start: Monday noon
            ("2027-03-22T21:00:00Z", .workHours),  // Mon 22:00 CET
            ("2027-03-23T05:00:00Z", .nonWorkHours),  // Tue 06:00
            ("2027-03-23T21:00:00Z", .workHours),  // Tue 22:00
            ("2027-03-24T05:00:00Z", .nonWorkHours),  // Wed 06:00: Tuesday's window runs to its end on the holiday
            ("2027-03-25T21:00:00Z", .workHours),  // Thu 22:00 (none on Wednesday night: the holiday)
            ("2027-03-26T05:00:00Z", .nonWorkHours),
            ("2027-03-26T21:00:00Z", .workHours),
            ("2027-03-27T05:00:00Z", .nonWorkHours),
            ("2027-03-27T21:00:00Z", .workHours),  // Sat 22:00 CET
            ("2027-03-28T04:00:00Z", .nonWorkHours),  // Sun 06:00 CEST: a 7-hour night
            ("2027-03-29T20:00:00Z", .workHours),  // Mon 22:00 CEST (Sunday is not a work day)
        ]

        @Test func aWeekWithDaylightSavingAHolidayAndOvernightWindowsIsAppliedAtEveryInstant() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let file = try PolicyFile(Self.policy)
            let loaded = DaemonPolicy(policy: try PolicyLoader.load(path: file.path), traffic: nil, source: file.path)
            let control = try DaemonControl()
            let start = try parseInstant("2027-03-22T12:00:00+01:00")
            let clock = AcceleratedClock(start: start, transitions: Self.expected.count - 1, control: control)
            let lines = LogLines()
            let engine = DaemonEngine(
                configuration: .init(interfaces: ["v0"], stateDir: file.folder + "/state", runDir: file.folder + "/run"),
                policy: loaded, reload: { .success(loaded) }, clock: clock, control: control,
                kernel: try KernelConnection(namespace: namespace.name),
                packetClock: try PacketSchedulerClock.read(using: { try String(contentsOfFile: $0, encoding: .utf8) }),
                logger: Logger(label: "test") { _ in LogfmtHandler(sink: { lines.append($0) }) }, notifier: nil)
            var seen: [(Date, WindowKind, UInt64?, UInt64?)] = []
            engine.observer = { pass in
                seen.append((pass.now, pass.window.kind, namespace.ourTBFRate("v0"),
                             namespace.ourTBFRate("ifb-t\((try? namespace.index(of: "v0")) ?? 0)")))
            }
            let began = Date()
            #expect(engine.run() == 0)
            print("virtual week: \(seen.count) passes in \(String(format: "%.2f", Date().timeIntervalSince(began))) s")
            #expect(seen.count == Self.expected.count, "log: \(lines.all.joined())")
            for (index, (instant, kind)) in Self.expected.enumerated() where index < seen.count {
                let pass = seen[index]
                #expect(pass.0 == (try parseInstant(instant)), "pass \(index)")
                #expect(pass.1 == kind, "pass \(index) at \(instant)")
                let rate: UInt64 = kind == .workHours ? 125_000 : 500_000
                #expect(pass.2 == rate, "upload at \(instant)")
                #expect(pass.3 == rate, "download at \(instant)")
            }
            #expect(lines.all.filter { $0.contains("event=transition") }.count == Self.expected.count - 1)
        }

        @Test func tenThousandTransitionsOnAnAcceleratedClockKeepMemoryAndDescriptorsFlat() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let count = 10_000
            let file = try PolicyFile("""
                time-zone: UTC
                work-days: mon-sun
                work-hours: {start: "09:00", end: "17:00"}
                work-hour-bandwidth: 1mbit
                non-work-hour-bandwidth: 4mbit

                """)
            let began = Date()
            let daemon = try DaemonRun(["--policy", file.path, "--interface", "v0"], namespace: namespace.name,
                                       environment: ["THROTTLECTL_TEST_ACCELERATED_CLOCK": "2027-01-04T00:00:00Z,\(count)"])
            let status = daemon.waitForExit(timeout: 170)
            let seconds = Date().timeIntervalSince(began)
            #expect(status == 0, "log tail: \(daemon.log.suffix(2000))")
            #expect(daemon.lines(containing: "event=transition").count == count)
            func figure(_ transition: Int, _ key: String) -> Int? {
                guard let line = daemon.lines(containing: "event=resources").first(where: {
                    $0.contains(" transition=\(transition) ")
                }) else { return nil }
                return line.split(separator: " ").first { $0.hasPrefix("\(key)=") }
                    .flatMap { Int($0.dropFirst(key.count + 1)) }
            }
            let rssFirst = try #require(figure(1, "rss_kib"), "log: \(daemon.log.suffix(2000))")
            let rssWarm = try #require(figure(100, "rss_kib"))
            let rssEnd = try #require(figure(count, "rss_kib"))
            let fdsFirst = try #require(figure(1, "fds"))
            let fdsWarm = try #require(figure(100, "fds"))
            let fdsEnd = try #require(figure(count, "fds"))
            print("soak: \(count) transitions in \(String(format: "%.1f", seconds)) s; resident memory "
                + "\(rssFirst) KiB at transition 1, \(rssWarm) KiB at 100, \(rssEnd) KiB at \(count) "
                + "(growth \(rssEnd - rssWarm) KiB after warm-up, \(rssEnd - rssFirst) KiB in all); "
                + "descriptors \(fdsFirst) at 1, \(fdsWarm) at 100, \(fdsEnd) at \(count)")
            #expect(rssEnd - rssWarm < 1024)
            #expect(rssEnd - rssFirst < 1024)
            #expect(fdsEnd == fdsWarm)
            #expect(fdsEnd == fdsFirst)
            // Ten thousand transitions from midnight end on a 17:00 one: non-work hours, 4 Mbit/s.
            #expect(namespace.ourTBFRate("v0") == 500_000)
        }

        @Test func aStepOfTheWallClockWakesTheDaemonAtOnce() throws {
            try KernelGate.check()
            let control = try DaemonControl()
            let clock = try SystemDaemonClock(namespace: nil, control: control)
            // Setting the clock to the time it already says is a step to the kernel (clock_settime) without moving it.
            let stepper = Thread {
                usleep(200_000)
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                clock_settime(CLOCK_REALTIME, &now)
            }
            let began = Date()
            stepper.start()
            let wake = clock.wait(until: Date().addingTimeInterval(3600), timeout: 5)
            let waited = Date().timeIntervalSince(began)
            #expect(wake == .clockChanged)
            #expect(waited < 1)
            // And a deadline that passes wakes it as a deadline.
            #expect(clock.wait(until: Date().addingTimeInterval(0.2), timeout: 5) == .deadline)
            // A stop request wakes it too.
            control.request(.stop)
            #expect(clock.wait(until: nil, timeout: 5) == .control)
            #expect(control.take() == [.stop])
        }
    }
}
