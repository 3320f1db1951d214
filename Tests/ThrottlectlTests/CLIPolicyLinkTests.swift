import Foundation
import Testing
import TestSupport

/// A policy path that is a broken symbolic link says so, instead of "does not exist" (still 66).
struct CLIPolicyLinkTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aLinkLoopIsNamed() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.yaml").path
        let b = folder.appendingPathComponent("b.yaml").path
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: "b.yaml")
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: "a.yaml")
        let result = try BinaryRunner.run(["validate", a])
        #expect(result.status == 66)
        #expect(result.stderr.contains("\(a): the policy file is a symbolic link loop"), "\(result.stderr)")
    }

    @Test func aDanglingLinkNamesItsTarget() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("policy.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "gone.yaml")
        let result = try BinaryRunner.run(["show", "--policy", link])
        #expect(result.status == 66)
        #expect(result.stderr.contains("is a symbolic link to \(folder.path)/gone.yaml, which does not exist"),
                "\(result.stderr)")
    }
}
