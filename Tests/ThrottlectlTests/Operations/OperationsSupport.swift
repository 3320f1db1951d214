import Foundation
import TestSupport

/// Files and scratch folders for the tests of contrib/ (units, packaging, Ansible, Kubernetes).
enum Contrib {
    static let root = BinaryRunner.packageRoot.appendingPathComponent("contrib")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func text(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }

    /// A fresh folder under the system's temporary folder, removed by `body`'s end.
    static func withScratchFolder<T>(_ prefix: String, _ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// The values of `key` in a systemd unit's text, in order (continuation lines joined).
    static func unitValues(_ key: String, in text: String) -> [String] {
        text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
            .filter { $0.hasPrefix("\(key)=") }.map { String($0.dropFirst(key.count + 1)) }
    }
}
