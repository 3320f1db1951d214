import Foundation
import Testing
import ThrottlePolicy

/// Input files are read whole but bounded: devices that never end are refused, a FIFO without a writer does
/// not hang, and a file past the limit is refused without reading it all.
struct BoundedFileReaderTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bounded-\(UUID().uuidString)-\(name)").path
    }

    @Test(arguments: ["/dev/zero", "/dev/urandom"])
    func endlessDevicesAreRefusedAtOnce(_ path: String) {
        #expect(throws: BoundedFileReader.Failure.unreadable(reason: "is a character device, not a file")) {
            try BoundedFileReader.read(path, limit: 1024)
        }
    }

    @Test func devNullIsEmpty() throws {
        #expect(try BoundedFileReader.read("/dev/null", limit: 1024).isEmpty)
    }

    @Test func aFIFOWithNoWriterReadsAsEmptyInsteadOfHanging() throws {
        let path = Self.temporary("fifo")
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        #expect(try BoundedFileReader.read(path, limit: 1024).isEmpty)
    }

    @Test func aFileBeyondTheLimitIsRefused() throws {
        let path = Self.temporary("big")
        try Data(repeating: 0x20, count: 4097).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        #expect(throws: BoundedFileReader.Failure.tooLarge(limit: 4096)) { try BoundedFileReader.read(path, limit: 4096) }
        #expect(try BoundedFileReader.read(path, limit: 4097).count == 4097)
    }

    @Test func missingFilesDirectoriesAndLinkLoopsSayWhich() throws {
        #expect(throws: BoundedFileReader.Failure.unreadable(reason: "does not exist")) {
            try BoundedFileReader.read("/nonexistent/policy.yaml", limit: 10)
        }
        #expect(throws: BoundedFileReader.Failure.unreadable(reason: "is a directory")) {
            try BoundedFileReader.read("/tmp", limit: 10)
        }
        let a = Self.temporary("a")
        let b = Self.temporary("b")
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: b)
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: a)
        defer { unlink(a); unlink(b) }
        #expect(throws: BoundedFileReader.Failure.unreadable(reason: "cannot be read: its path is a loop of symbolic links")) {
            try BoundedFileReader.read(a, limit: 10)
        }
    }

    @Test func aPolicyFileOverTheLimitIsAContentProblem() throws {
        let path = Self.temporary("huge.yaml")
        try Data(repeating: 0x20, count: PolicyLoader.maximumFileBytes + 1).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        #expect {
            _ = try PolicyLoader.readText(path: path)
        } throws: { error in
            (error as? PolicyError)?.description == "\(path):1:1: the file is larger than 4 MiB: that is not a policy file"
        }
    }
}
