import Foundation
import Logging
import Testing

@testable import ThrottlectlCLI

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's log lines and its systemd notifications, without a kernel.
struct DaemonPartsTests {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var lines: [String] = []
    }

    @Test func theMillisecondsFieldHasTwoDecimals() {
        #expect(DaemonEngine.milliseconds(.microseconds(1_420)) == "1.42")
        #expect(DaemonEngine.milliseconds(.seconds(2) + .microseconds(5)) == "2000.01")
        #expect(DaemonEngine.milliseconds(.zero) == "0.00")
    }

    @Test func oneEventIsOneLineWhateverTheTextHolds() {
        let collected = Lines()
        let logger = Logger(label: "t") { _ in
            LogfmtHandler(sink: { line in collected.lock.lock(); collected.lines.append(line); collected.lock.unlock() })
        }
        logger.error("bad\nthing \"quoted\"", metadata: ["event": "reload-failed", "file": "/tmp/a b=c\u{1B}[31m"])
        #expect(collected.lines.count == 1)
        let line = collected.lines[0]
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().firstIndex(of: "\n") == nil)
        #expect(line.contains(" level=error event=reload-failed "))
        #expect(line.contains(#"file="/tmp/a b=c\u{1b}[31m""#))
        #expect(line.contains(#"msg="bad\nthing \"quoted\"""#))
    }

    /// A burst of SIGHUPs is one reload; a stop in the burst is the stop alone, whatever came before it.
    @Test func controlRequestsAreCoalesced() throws {
        let control = try DaemonControl()
        #expect(control.take().isEmpty)
        for _ in 0..<5 { control.request(.reload) }
        #expect(control.take() == [.reload])
        #expect(control.take().isEmpty)
        control.request(.reload)
        control.request(.stop)
        control.request(.reload)
        #expect(control.stopRequested)
        #expect(control.take() == [.stop])
        #expect(!control.stopRequested)
    }

    @Test func notificationsReachTheSocketNamedByNotifySocket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("n-\(getpid()).sock").path
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000"]))
        #expect(notifier.watchdogInterval == 1.5)
        #expect(notifier.send(["READY=1", SystemdNotifier.status("work-hours\n512 kbit/s")]))
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(fd, &buffer, buffer.count, 0)
        #expect(String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "READY=1\nSTATUS=work-hours 512 kbit/s")
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative"]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000",
                                              "WATCHDOG_PID": "1"])?.watchdogInterval == nil)
    }
}
