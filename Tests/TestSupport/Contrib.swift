import Foundation

/// Files and scratch folders for the tests of contrib/ (units, packaging, Ansible, Kubernetes).
public enum Contrib {
    public static let root = BinaryRunner.packageRoot.appendingPathComponent("contrib")

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    public static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// A fresh folder under the system's temporary folder, removed by `body`'s end.
    public static func withScratchFolder<T>(_ prefix: String, _ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// The values of `key` in a systemd unit's text, in order (continuation lines joined).
    public static func unitValues(_ key: String, in text: String) -> [String] {
        text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
            .filter { $0.hasPrefix("\(key)=") }.map { String($0.dropFirst(key.count + 1)) }
    }
}

/// The PyPI tools contrib/install-deps.sh installs, in their own virtualenv.
public enum PythonTools {
    /// `THROTTLECTL_TOOLS`, else /opt/throttlectl-tools (as contrib/install-deps.sh).
    public static let root = ProcessInfo.processInfo.environment["THROTTLECTL_TOOLS"] ?? "/opt/throttlectl-tools"

    /// The path of `tool` in the virtualenv's bin folder.
    public static func path(_ tool: String) -> String { "\(root)/bin/\(tool)" }
}
