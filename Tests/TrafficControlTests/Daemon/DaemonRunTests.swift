import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension KernelSuites {
    /// `throttlectl run` as an operator starts it, on the real clock, inside a scratch namespace: transitions on
    /// time, repairs after someone else's changes, interfaces that come and go, reloads and shutdown.
    @Suite struct DaemonRunTests {
        /// 1 Mbit/s in work hours, 4 Mbit/s outside them, in bytes per second as tc reports them.
        static let workRate: UInt64 = 125_000
        static let offRate: UInt64 = 500_000

        /// A policy always in work hours (all week, 00:00–24:00) at `rate`.
        static func alwaysWorkHours(_ rate: String) -> String {
            """
            throttling: true
            time-zone: UTC
            work-days: mon-sun
            work-hours: {start: "00:00", end: "24:00"}
            work-hour-bandwidth: \(rate)
            non-work-hour-bandwidth: 100mbit

            """
        }

        static func utcTime(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "HH:mm:ss"
            return formatter.string(from: date)
        }

        @Test func aTransitionThreeSecondsAheadChangesTheKernelRateWithinOneSecond() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let transition = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3).rounded(.up))
            let daemon = try DaemonRun([
                "--time-zone", "UTC", "--work-days", "mon-sun", "--start-work-hour", Self.utcTime(transition),
                "--end-work-hour", Self.utcTime(transition.addingTimeInterval(3600)), "--work-hour-bandwidth", "1mbit",
                "--non-work-hour-bandwidth", "4mbit", "--interface", "v0",
            ], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            #expect(namespace.ourTBFRate("v0") == Self.offRate)
            let changed = try #require(waitUntil(timeout: 8) { namespace.ourTBFRate("v0") == Self.workRate },
                                       "log: \(daemon.log)")
            let lateness = changed.timeIntervalSince(transition)
            print("real-clock transition: kernel rate changed \(String(format: "%.3f", lateness)) s after the instant")
            #expect(lateness >= 0 && lateness < 1, "changed \(lateness) s after the transition")
            #expect(daemon.lines(containing: "event=transition").count == 1, "log: \(daemon.log)")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test func anInterfaceDeletedAndRecreatedOrRenamedBackIsShapedAgainWithinOneSecond() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            try namespace.exec(["ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1"])
            try namespace.exec(["ip", "link", "set", "d0", "up"])
            let policy = try PolicyFile(Self.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "d0"], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            #expect(namespace.ourTBFRate("d0") == Self.workRate)

            let oldIFB = "ifb-t\(try namespace.index(of: "d0"))"
            #expect(try namespace.exec(["ip", "link", "show"]).output.contains(oldIFB))
            try namespace.exec(["ip", "link", "del", "d0"])
            #expect(daemon.waitForLog("event=interface-missing"), "log: \(daemon.log)")
            // Its IFB serves nothing any more: removed, so that recreating the interface does not pile them up.
            #expect(daemon.waitForLog("event=orphan-ifb"), "log: \(daemon.log)")
            #expect(try !namespace.exec(["ip", "link", "show"]).output.contains(oldIFB + ":"))
            let recreated = Date()
            try namespace.exec(["ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1"])
            let shaped = try #require(waitUntil(timeout: 5) { namespace.ourTBFRate("d0") == Self.workRate },
                                      "log: \(daemon.log)")
            let delay = shaped.timeIntervalSince(recreated)
            print("recreated interface shaped again after \(String(format: "%.3f", delay)) s")
            #expect(delay < 1)

            // Renamed away, its qdiscs go with it under the other name; renamed back, it is ours to keep shaped.
            try namespace.exec(["ip", "link", "set", "d0", "name", "x0"])
            #expect(daemon.waitForLog("event=interface-missing", count: 2), "log: \(daemon.log)")
            try namespace.tc(["qdisc", "del", "dev", "x0", "root"])
            let renamed = Date()
            try namespace.exec(["ip", "link", "set", "x0", "name", "d0"])
            let back = try #require(waitUntil(timeout: 5) { namespace.ourTBFRate("d0") == Self.workRate },
                                    "log: \(daemon.log)")
            print("renamed-back interface shaped again after \(String(format: "%.3f", back.timeIntervalSince(renamed))) s")
            #expect(back.timeIntervalSince(renamed) < 1)
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test func ourTBFDeletedOrAlteredByTcIsRestoredWithinOneSecondAndLogged() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile(Self.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            let handle = try #require(namespace.tc(["qdisc", "show", "dev", "v0"]).output
                .split(separator: " ").dropFirst(2).first.map(String.init))

            let deleted = Date()
            try namespace.tc(["qdisc", "del", "dev", "v0", "root"])
            let restored = try #require(waitUntil(timeout: 5) { namespace.ourTBFRate("v0") == Self.workRate },
                                        "log: \(daemon.log)")
            print("deleted TBF restored after \(String(format: "%.3f", restored.timeIntervalSince(deleted))) s")
            #expect(restored.timeIntervalSince(deleted) < 1)
            #expect(daemon.waitForLog("event=reapply"), "log: \(daemon.log)")
            #expect(daemon.lines(containing: "event=reapply").first?.contains("add tbf qdisc") == true,
                    "log: \(daemon.log)")

            // Altered in place (someone changes the rate): put back to the policy's rate.
            let current = try #require(namespace.tc(["qdisc", "show", "dev", "v0"]).output
                .split(separator: " ").dropFirst(2).first.map(String.init))
            _ = handle
            let altered = Date()
            try namespace.tc(["qdisc", "change", "dev", "v0", "root", "handle", current, "tbf", "rate", "9mbit", "burst",
                              "10k", "latency", "50ms"])
            let repaired = try #require(waitUntil(timeout: 5) { namespace.ourTBFRate("v0") == Self.workRate },
                                        "log: \(daemon.log)")
            print("altered TBF repaired after \(String(format: "%.3f", repaired.timeIntervalSince(altered))) s")
            #expect(repaired.timeIntervalSince(altered) < 1)
            #expect(daemon.waitForLog("event=reapply", count: 2), "log: \(daemon.log)")
            // Its own writes do not set it off again: a quiet daemon logs nothing more.
            let settled = daemon.lines(containing: "event=").count
            usleep(500_000)
            #expect(daemon.lines(containing: "event=").count == settled, "log: \(daemon.log)")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test func sighupWithABrokenFileKeepsTheOldPolicyAndLogsFileLineColumn() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile(Self.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            try policy.write(Self.alwaysWorkHours("fast"))
            daemon.signal(SIGHUP)
            #expect(daemon.waitForLog("event=reload-failed", count: 2), "log: \(daemon.log)")
            let problem = daemon.lines(containing: "event=reload-failed").first ?? ""
            #expect(problem.contains("\(policy.path):5:22"), "log: \(daemon.log)")
            #expect(namespace.ourTBFRate("v0") == Self.workRate)

            // A good file on the next SIGHUP is taken, and applied at once.
            try policy.write(Self.alwaysWorkHours("2mbit"))
            let sent = Date()
            daemon.signal(SIGHUP)
            let applied = try #require(waitUntil(timeout: 5) { namespace.ourTBFRate("v0") == 250_000 },
                                       "log: \(daemon.log)")
            #expect(applied.timeIntervalSince(sent) < 1)
            #expect(daemon.waitForLog("event=reload "), "log: \(daemon.log)")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test(arguments: [false, true])
        func sigtermExitsZeroAndLeavesShapingUnlessClearOnExit(_ clear: Bool) throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile(Self.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"] + (clear ? ["--clear-on-exit"] : []),
                                       namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            daemon.signal(clear ? SIGINT : SIGTERM)
            #expect(daemon.waitForExit() == 0, "log: \(daemon.log)")
            #expect(daemon.waitForLog("event=stop"), "log: \(daemon.log)")
            if clear {
                #expect(namespace.ourTBFRate("v0") == nil)
                #expect(try !namespace.exec(["ip", "link", "show"]).output.contains("ifb-t"))
            } else {
                #expect(namespace.ourTBFRate("v0") == Self.workRate)
            }
        }

        @Test func aMissingInterfaceAtStartIsAwaitedAndShapedWhenItAppears() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile(Self.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "late0", "--interface", "v0"],
                                       namespace: namespace.name)
            #expect(daemon.waitForLog("event=interface-missing"), "log: \(daemon.log)")
            #expect(namespace.ourTBFRate("v0") == Self.workRate, "one missing interface does not hold up the others")
            let added = Date()
            try namespace.exec(["ip", "link", "add", "late0", "type", "veth", "peer", "name", "late1"])
            let shaped = try #require(waitUntil(timeout: 5) { namespace.ourTBFRate("late0") == Self.workRate })
            #expect(shaped.timeIntervalSince(added) < 1)
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test func systemdHearsReadyStatusAndWatchdogPings() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)").path
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(fd); unlink(path) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { bytes in
                for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let policy = try PolicyFile(Self.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name,
                                       environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"])
            var messages: [String] = []
            let began = Date()
            while messages.filter({ $0 == "WATCHDOG=1" }).count < 3 && Date().timeIntervalSince(began) < 10 {
                var buffer = [UInt8](repeating: 0, count: 1024)
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                messages.append(String(decoding: buffer[..<count], as: UTF8.self))
            }
            let elapsed = Date().timeIntervalSince(began)
            let ready = try #require(messages.first { $0.hasPrefix("READY=1") }, "\(messages)")
            #expect(ready.contains("\nSTATUS=work-hours 1 Mbit/s"), "\(ready)")
            #expect(messages.filter { $0 == "WATCHDOG=1" }.count == 3, "\(messages)")
            // Pings every WATCHDOG_USEC / 2 = 0.2 s: three of them take about 0.6 s, not a burst and not a stall.
            #expect(elapsed > 0.4 && elapsed < 3, "\(elapsed) s")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test func theDaemonWritesOnlyUnderTheSameLockAsApply() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile(Self.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            // Someone (a cron `apply`) holds v0's lock for 1.5 s while our TBF disappears: the daemon waits for it.
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            holder.arguments = [daemon.directory + "/run/v0.lock", "sleep", "1.5"]
            try holder.run()
            usleep(200_000)
            let deleted = Date()
            try namespace.tc(["qdisc", "del", "dev", "v0", "root"])
            usleep(800_000)
            #expect(namespace.ourTBFRate("v0") == nil, "written while another process held the lock")
            let restored = try #require(waitUntil(timeout: 8) { namespace.ourTBFRate("v0") == Self.workRate },
                                        "log: \(daemon.log)")
            holder.waitUntilExit()
            #expect(restored.timeIntervalSince(deleted) >= 1.1, "restored before the lock was released")
            // And the daemon does not hold the lock while it sleeps: apply takes it at once.
            let apply = try BinaryRunner.run(["apply", "--policy", policy.path, "-i", "v0", "--wait", "0",
                                              "--state-dir", daemon.directory + "/state",
                                              "--run-dir", daemon.directory + "/run"],
                                             prefix: ["ip", "netns", "exec", namespace.name])
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stdout.contains("already in place"), "\(apply.stdout)")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }
    }
}
