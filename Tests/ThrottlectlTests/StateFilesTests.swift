import Foundation
import Testing
import TrafficControl

@testable import ThrottlectlCLI

#if canImport(Glibc)
    import Glibc
#endif

/// The state directory, the journal, the lock and the root records: no link followed, no line lost.
@Suite struct StateFilesTests {
    /// A scratch folder (mode 0755) removed when released.
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("thr-files-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o755])
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static func entry(_ number: Int) -> JSONValue {
        .object([("run", .integer(UInt64(number))), ("padding", .string(String(repeating: "x", count: 300)))])
    }

    @Test func aDanglingJournalLinkIsNotFollowed() throws {
        let scratch = try Scratch()
        let target = scratch.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/state/journal.jsonl", withDestinationPath: target)
        let store = StateStore(directory: scratch.path + "/state")
        #expect(throws: StateStore.Failure.self) { try store.journal(Self.entry(1)) }
        #expect(!FileManager.default.fileExists(atPath: target), "the link's target must not be created")
    }

    @Test func concurrentAppendsKeepEveryLineWhole() throws {
        let scratch = try Scratch()
        let store = StateStore(directory: scratch.path + "/state")
        DispatchQueue.concurrentPerform(iterations: 200) { number in
            try? store.journal(Self.entry(number))
        }
        let lines = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 200)
        var runs = Set<Int>()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            runs.insert(try #require(object["run"] as? Int))
        }
        #expect(runs == Set(0..<200))
    }

    @Test func aLinkedOrWritableStateDirectoryIsRefused() throws {
        let scratch = try Scratch()
        let real = scratch.path + "/real"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/link", withDestinationPath: real)
        #expect(throws: SecureDirectory.Failure.self) { try SecureDirectory(path: scratch.path + "/link/state") }
        #expect(!FileManager.default.fileExists(atPath: real + "/state"), "nothing is created through the link")

        let open = scratch.path + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
        chmod(open, 0o777)
        do {
            _ = try SecureDirectory(path: open)
            Issue.record("a world-writable state directory was accepted")
        } catch {
            #expect(error.description.contains("writable by group or others"), "\(error)")
        }
        // Below a sticky world-writable parent (as /tmp) is fine; below a plain world-writable one is not.
        #expect(throws: SecureDirectory.Failure.self) { try SecureDirectory(path: open + "/state") }
        chmod(open, 0o1777)
        #expect(throws: Never.self) { try SecureDirectory(path: open + "/state") }
    }

    @Test func theLockRefusesALinkAndWaitsOnTheMonotonicClock() throws {
        let scratch = try Scratch()
        let runs = scratch.path + "/run"
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: runs + "/v0.lock", withDestinationPath: scratch.path + "/x")
        #expect(throws: InterfaceLock.Failure.self) { try InterfaceLock(directory: runs, interface: "v0", wait: 0) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/x"))

        let held = try InterfaceLock(directory: runs, interface: "v1", wait: 0)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(throws: InterfaceLock.Failure.self) { try InterfaceLock(directory: runs, interface: "v1", wait: 0.2) }
        let waited = clock.now - started
        #expect(waited >= .milliseconds(200) && waited < .seconds(2), "\(waited)")
        _ = held
    }

    /// `run`'s daemon lock: one daemon per interface (a second one is refused at once), apart from `apply`'s
    /// lock, so that a cron `apply` beside a running daemon is not shut out.
    @Test func theDaemonLockAdmitsOneDaemonAndLeavesApplysLockFree() throws {
        let scratch = try Scratch()
        let runs = scratch.path + "/run"
        var first: InterfaceLock? = try InterfaceLock.daemon(directory: runs, interface: "v0")
        do {
            _ = try InterfaceLock.daemon(directory: runs, interface: "v0")
            Issue.record("a second daemon lock on v0 was granted")
        } catch InterfaceLock.Failure.busy(let path, _) {
            #expect(path == runs + "/v0.daemon")
        }
        #expect(throws: Never.self) { _ = try InterfaceLock(directory: runs, interface: "v0", wait: 0) }
        #expect(throws: Never.self) { _ = try InterfaceLock.daemon(directory: runs, interface: "v1") }
        _ = first
        first = nil
        #expect(throws: Never.self) { _ = try InterfaceLock.daemon(directory: runs, interface: "v0") }
    }

    /// A wait for a busy lock gives up as soon as `abandon` says so (the daemon's SIGTERM), not after `wait`.
    @Test func aLockWaitEndsEarlyWhenAbandoned() throws {
        let scratch = try Scratch()
        let held = try InterfaceLock(directory: scratch.path, interface: "v0", wait: 0)
        let clock = ContinuousClock()
        let started = clock.now
        let asked = started.advanced(by: .milliseconds(100))
        do {
            _ = try InterfaceLock(directory: scratch.path, interface: "v0", wait: 30, abandon: { clock.now >= asked })
            Issue.record("the lock was granted while held")
        } catch InterfaceLock.Failure.busy(_, let waited) {
            #expect(waited < 1, "\(waited)")
        }
        let took = clock.now - started
        #expect(took >= .milliseconds(100) && took < .seconds(2), "\(took)")
        _ = held
    }

    @Test func aRecordRoundTripsAndACorruptOneIsReported() throws {
        let scratch = try Scratch()
        let store = StateStore(directory: scratch.path + "/state")
        #expect(try store.recordedRoot(for: "v0") == nil)
        let root = QdiscSpec(device: "v0", handle: TrafficControlHandle(major: 1, minor: 0), parent: .root,
                             configuration: .recorded(kind: "pfifo", options: [0x7b, 0, 0, 0]))
        try store.record(root)
        #expect(try store.recordedRoot(for: "v0") == root)
        for corrupt in ["{", "[]", "{\"kind\":\"pfifo\"}", "{\"kind\":\"pfifo\",\"handle\":65536,\"parent\":-1,\"options\":\"\"}",
                        "{\"kind\":\"pf/fo\",\"handle\":1,\"parent\":1,\"options\":\"zz\"}", "\u{0}\u{1}"] {
            try corrupt.write(toFile: scratch.path + "/state/v0.root.json", atomically: false, encoding: .utf8)
            do {
                _ = try store.recordedRoot(for: "v0")
                Issue.record("accepted a corrupt record: \(corrupt)")
            } catch {
                guard case .corruptRecord(let path, _) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(path == scratch.path + "/state/v0.root.json")
            }
        }
    }

    @Test func anUntrustedPolicyFileIsRefused() throws {
        let scratch = try Scratch()
        let file = scratch.path + "/policy.yaml"
        try "throttling: false\n".write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        #expect(throws: Never.self) { try PolicyTrust.check(file) }
        for mode: mode_t in [0o664, 0o646] {
            chmod(file, mode)
            #expect(throws: PolicyTrust.Untrusted.self) { try PolicyTrust.check(file) }
        }
        chmod(file, 0o644)
        chmod(scratch.path, 0o775)
        #expect(throws: PolicyTrust.Untrusted.self) { try PolicyTrust.check(file) }
        chmod(scratch.path, 0o1777)
        #expect(throws: Never.self) { try PolicyTrust.check(file) }
        chmod(scratch.path, 0o755)
        // A link is judged by what it points to.
        let link = scratch.path + "/link.yaml"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        chmod(file, 0o666)
        #expect(throws: PolicyTrust.Untrusted.self) { try PolicyTrust.check(link) }
        chmod(file, 0o644)
        // A trusted file behind a link in a folder anyone can write: the link can be pointed elsewhere.
        let open = try Scratch()
        let planted = open.path + "/policy.yaml"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: file)
        #expect(throws: Never.self) { try PolicyTrust.check(planted) }
        chmod(open.path, 0o777)
        #expect(throws: PolicyTrust.Untrusted.self) { try PolicyTrust.check(planted) }
        chmod(open.path, 0o755)
    }
}
