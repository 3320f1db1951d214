import Foundation

extension TimeZoneDatabase {
    /// The `tzdata` release the folder holds, such as `2026f`: from the first line of `tzdata.zi`
    /// (`# version 2026f`), else the `+VERSION` file; `nil` when neither says.
    public var version: String? {
        if let line = Self.firstLine(of: directory + "/tzdata.zi") {
            let prefix = "# version "
            if line.hasPrefix(prefix) {
                let version = String(line.dropFirst(prefix.count)).trimmingWhitespace()
                if !version.isEmpty { return version }
            }
        }
        if let line = Self.firstLine(of: directory + "/+VERSION")?.trimmingWhitespace(), !line.isEmpty {
            return line
        }
        return nil
    }

    /// `tzdata 2026f from /usr/share/zoneinfo`, or `tzdata unknown from …`, for `--version`.
    public var versionDescription: String {
        "tzdata \(version ?? "unknown") from \(directory)"
    }

    /// The first line of a small text file, reading at most 256 bytes.
    static func firstLine(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 256) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
    }
}
