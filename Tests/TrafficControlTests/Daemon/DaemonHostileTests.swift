import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension KernelSuites {
    /// `throttlectl run` against what a careless or hostile operator does: two daemons on one interface, a lock
    /// held by someone else while the daemon is told to stop.
    @Suite struct DaemonHostileTests {
        /// Two daemons with different policies on one interface used to undo each other's writes for ever (each
        /// saw the other's change as damage to repair: ~50 writes and journal lines a second). The second one now
        /// stands aside, logs it once, and takes over when the first stops.
        @Test func aSecondDaemonOnTheSameInterfaceStandsAsideInsteadOfFighting() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let first = try PolicyFile(DaemonRunTests.alwaysWorkHours("1mbit"))
            let second = try PolicyFile(DaemonRunTests.alwaysWorkHours("3mbit"))
            let a = try DaemonRun(["--policy", first.path, "--interface", "v0"], namespace: namespace.name)
            #expect(a.waitForLog("event=apply"), "log: \(a.log)")
            let b = try DaemonRun(["--policy", second.path, "--interface", "v0"], namespace: namespace.name,
                                  runDirectory: a.directory + "/run")
            #expect(b.waitForLog("event=lock-busy"), "log: \(b.log)")
            #expect(b.lines(containing: "event=lock-busy").first?.contains("another throttlectl run serves it") == true,
                    "log: \(b.log)")
            // Three seconds side by side (the second retries every 2 s): nothing rewritten, nothing logged again.
            usleep(3_000_000)
            #expect(namespace.ourTBFRate("v0") == DaemonRunTests.workRate)
            #expect(a.lines(containing: "event=reapply").isEmpty, "log: \(a.log)")
            #expect(b.lines(containing: "event=").count == 2, "start and one lock-busy; log: \(b.log)")

            a.signal(SIGTERM)
            #expect(a.waitForExit() == 0)
            let taken = waitUntil(timeout: 5) { namespace.ourTBFRate("v0") == 375_000 }
            #expect(taken != nil, "the second daemon takes over once the first stops; log: \(b.log)")
            b.signal(SIGTERM)
            #expect(b.waitForExit() == 0)
        }

        /// A SIGTERM while the daemon waits for a lock another process holds used to wait the 5 s out (per
        /// interface: fifty busy interfaces, four minutes); the wait now gives up at once.
        @Test func sigtermDuringALockWaitEndsTheDaemonAtOnce() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile(DaemonRunTests.alwaysWorkHours("1mbit"))
            let runDirectory = FileManager.default.temporaryDirectory
                .appendingPathComponent("thr-lock-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o755])
            defer { try? FileManager.default.removeItem(atPath: runDirectory) }
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            holder.arguments = ["--no-fork", runDirectory + "/v0.lock", "sleep", "20"]
            try holder.run()
            defer {
                kill(holder.processIdentifier, SIGKILL)
                holder.waitUntilExit()
            }
            usleep(300_000)
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name,
                                       runDirectory: runDirectory)
            #expect(daemon.waitForLog("event=start"), "log: \(daemon.log)")
            usleep(1_000_000)
            let sent = Date()
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit(timeout: 10) == 0, "log: \(daemon.log)")
            let took = Date().timeIntervalSince(sent)
            print("SIGTERM during a lock wait: exited after \(String(format: "%.3f", took)) s")
            #expect(took < 1, "exited \(took) s after SIGTERM")
            #expect(namespace.ourTBFRate("v0") == nil, "nothing written while the lock was held")
        }

        /// systemd's `UMask=0077` (the daemon's unit sets it) used to turn the metrics file's 0644 into 0600, which
        /// node_exporter, another user, cannot read: the mode is now set exactly.
        @Test func theMetricsFileIsReadableByOthersUnderUMask0077() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let folder = try PolicyFile("")
            let metrics = folder.folder + "/throttlectl.prom"
            let result = try BinaryRunner.run(
                ["apply", "--policy", BinaryRunner.example("mars-documented.yaml"), "-i", "v0", "--metrics-file", metrics,
                 "--state-dir", folder.folder + "/state", "--run-dir", folder.folder + "/run"],
                prefix: ["/bin/sh", "-c", "umask 077 && exec \"$@\"", "sh", "ip", "netns", "exec", namespace.name])
            #expect(result.status == 0, "\(result.stderr)")
            let attributes = try FileManager.default.attributesOfItem(atPath: metrics)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
            // The umask did apply (the test is not vacuous): the journal, created 0644, is 0600.
            let journal = try FileManager.default.attributesOfItem(atPath: folder.folder + "/state/journal.jsonl")
            #expect((journal[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }

        /// The policy file replaced by a FIFO that a writer holds open, then SIGHUP: the reload used to block on the
        /// read, and the SIGTERM after it went unheard until the writer went away. Now the reload is refused (the
        /// old policy stays) and SIGTERM ends the daemon at once.
        @Test func aSighupOnAFIFOPolicyIsRefusedAndSigtermStillWorks() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile(DaemonRunTests.alwaysWorkHours("1mbit"))
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            try FileManager.default.removeItem(atPath: policy.path)
            #expect(mkfifo(policy.path, 0o600) == 0)
            let writer = open(policy.path, O_RDWR | O_NONBLOCK)
            #expect(writer >= 0)
            defer { close(writer) }
            daemon.signal(SIGHUP)
            #expect(daemon.waitForLog("event=reload-failed", count: 2, timeout: 5), "log: \(daemon.log)")
            #expect(daemon.lines(containing: "event=reload-failed").first?.contains("is not a regular file") == true,
                    "log: \(daemon.log)")
            #expect(namespace.ourTBFRate("v0") == DaemonRunTests.workRate)
            let sent = Date()
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit(timeout: 10) == 0, "log: \(daemon.log)")
            #expect(Date().timeIntervalSince(sent) < 1)
        }
    }
}
