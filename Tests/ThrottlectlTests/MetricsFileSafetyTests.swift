import Foundation
import Testing
import TestSupport

@testable import ThrottlectlCLI

#if canImport(Glibc)
    import Glibc
#endif

/// What an operator may leave at `--metrics-file PATH` or around it: a FIFO someone holds open, a device, a
/// read-only folder. None of them may hang the start, and a folder nothing can be written in is refused at once.
struct MetricsFileSafetyTests {
    /// A scratch folder (mode 0755) removed when released.
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("thr-metrics-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o755])
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// `previousCounters()` on a background thread, or `nil` when it has not returned after 5 s (a hang).
    static func countersWithin5Seconds(_ path: String) -> [String: (applies: UInt64, errors: UInt64)]? {
        final class Box: @unchecked Sendable { var value: [String: (applies: UInt64, errors: UInt64)]? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            box.value = MetricsFile(path: path).previousCounters()
            done.signal()
        }.start()
        return done.wait(timeout: .now() + 5) == .success ? box.value : nil
    }

    /// A FIFO at PATH with a writer that never writes: reading the previous counters (before the first pass of
    /// `run`, in every `apply`) must not wait for it.
    @Test func aFIFOHeldOpenAtThePathDoesNotHangTheStart() throws {
        let scratch = try Scratch()
        let path = scratch.path + "/throttlectl.prom"
        #expect(mkfifo(path, 0o644) == 0)
        let writer = open(path, O_RDWR | O_NONBLOCK)  // a writer that stays, as `sleep 1000 > FIFO`
        #expect(writer >= 0)
        defer { close(writer) }
        let counters = try #require(Self.countersWithin5Seconds(path), "reading the previous counters hung")
        #expect(counters.isEmpty)
        // The first write replaces the FIFO with the file.
        try MetricsFile(path: path).write("throttlectl_applies_total{interface=\"v0\"} 4\n")
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG)
        #expect(Self.countersWithin5Seconds(path)?["v0"]?.applies == 4)
    }

    @Test func aDeviceAtThePathIsNotRead() throws {
        let scratch = try Scratch()
        let path = scratch.path + "/throttlectl.prom"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
        let counters = try #require(Self.countersWithin5Seconds(path), "reading /dev/zero did not end")
        #expect(counters.isEmpty)
    }

    /// A folder on a read-only mount (as systemd's ProtectSystem=strict makes every folder outside
    /// ReadWritePaths=) used to be accepted, and every write then failed, only in the log: now exit 64 at start.
    @Test func aReadOnlyFolderIsRefusedBeforeTheDaemonStarts() throws {
        guard geteuid() == 0 else { return }  // unshare -m needs root
        let scratch = try Scratch()
        let script = "mount -o bind,ro \"$1\" \"$1\" && exec \"$2\" run --policy \"$3\" -i thrnosuch0 "
            + "--metrics-file \"$1/throttlectl.prom\" --state-dir /nonexistent/state --run-dir /nonexistent/run"
        let result = try run(["/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", scratch.path,
                              BinaryRunner.executable.path, BinaryRunner.example("mars-documented.yaml")],
                             allowFailure: true)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("cannot write in the folder \(scratch.path): Read-only file system"),
                "\(result.output)")
        #expect(result.output.contains("ReadWritePaths=\(scratch.path)"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))
    }
}
