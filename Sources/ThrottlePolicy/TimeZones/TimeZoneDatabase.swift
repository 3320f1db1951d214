import Foundation

/// A folder of TZif files named by IANA zone name: `TZDIR`, or Debian's `tzdata` in `/usr/share/zoneinfo`.
///
/// This is the database `date`, cron and systemd read through the C library, so throttlectl agrees with them
/// (Foundation on Linux answers from the older copy bundled with ICU instead). Parsed zones are cached, keyed
/// by file and modification time, so a `tzdata` upgrade is seen by the next lookup.
public struct TimeZoneDatabase: Sendable, Hashable {
    /// The folder searched, such as `/usr/share/zoneinfo`.
    public let directory: String

    /// The folder Debian's `tzdata` installs.
    public static let defaultDirectory = "/usr/share/zoneinfo"

    /// A database in `directory`.
    public init(directory: String) { self.directory = directory }

    /// `TZDIR` when set and not empty, else ``defaultDirectory`` (as in the C library).
    public static var system: TimeZoneDatabase {
        let folder = ProcessInfo.processInfo.environment["TZDIR"] ?? ""
        return TimeZoneDatabase(directory: folder.isEmpty ? defaultDirectory : folder)
    }

    /// The zone named `name`, such as `Europe/Berlin`.
    /// - Throws: ``ValueError`` when `name` is not a zone name (a path, `..`, empty parts, odd characters),
    ///   names no file here, or names a file that is not TZif.
    public func zone(named name: String) throws(ValueError) -> TimeZoneRules {
        try Self.checkName(name)
        return try zone(atPath: directory + "/" + name, name: name)
    }

    /// The zone in the TZif file at `path` (symbolic links followed), called `name`.
    func zone(atPath path: String, name: String) throws(ValueError) -> TimeZoneRules {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else {
            throw ValueError("no zone file \(path)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw ValueError("\(path) is not a zone file (it is a folder or a special file)")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        // Real zone files are a few kilobytes; refuse to read anything large.
        guard size <= 1 << 20 else { throw ValueError("\(path) is too large to be a zone file") }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(resolved)\u{0}\(modified)\u{0}\(size)\u{0}\(name)"
        if let cached = ZoneCache.shared[key] { return cached }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw ValueError("cannot read the zone file \(path)")
        }
        let bytes = [UInt8](data)
        guard bytes.starts(with: Array("TZif".utf8)) else {
            throw ValueError("\(path) is not a zone file (TZif)")
        }
        let zone: TimeZoneRules
        do throws(ValueError) {
            zone = try TimeZoneRules(name: name, tzif: bytes)
        } catch {
            throw ValueError("\(path) is \(error.message)")
        }
        ZoneCache.shared[key] = zone
        return zone
    }

    /// Accepts what can be an IANA zone name: relative, no empty, `.` or `..` parts, and only the characters
    /// the names use (ASCII letters, digits, `-`, `_`, `+`, `.`).
    static func checkName(_ name: String) throws(ValueError) {
        guard !name.isEmpty else { throw ValueError("the time zone name is empty") }
        guard !name.hasPrefix("/") else { throw ValueError("\"\(name)\" is a path, not a time zone name") }
        guard name.utf8.count <= 255 else { throw ValueError("the time zone name is too long") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_+./".unicodeScalars)
        guard name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw ValueError("\"\(name)\" has characters that no time zone name uses")
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw ValueError("\"\(name)\" has an empty, \".\" or \"..\" part; a time zone name has none")
        }
    }
}

/// Parsed zones, shared by every lookup in the process.
///
/// `@unchecked Sendable`: every access to `zones` holds `lock`. (`Mutex` would need macOS 15.)
private final class ZoneCache: @unchecked Sendable {
    static let shared = ZoneCache()
    private let lock = NSLock()
    private var zones: [String: TimeZoneRules] = [:]

    subscript(key: String) -> TimeZoneRules? {
        get { lock.withLock { zones[key] } }
        set { lock.withLock { zones[key] = newValue } }
    }
}
