import Foundation

/// Where the system's default zone is configured, in the order they are consulted.
public struct SystemZoneSources: Sendable {
    /// The `TZ` environment variable (`nil` when unset); a leading `:` is ignored.
    public var tz: String?
    /// Debian's `/etc/timezone`: a zone name on its first line.
    public var timezoneFile: String
    /// `/etc/localtime`: a symbolic link into the zone folder, or a copy of a zone file.
    public var localtime: String

    /// Sources from their parts.
    public init(tz: String?, timezoneFile: String = "/etc/timezone", localtime: String = "/etc/localtime") {
        self.tz = tz
        self.timezoneFile = timezoneFile
        self.localtime = localtime
    }

    /// This process's `TZ`, `/etc/timezone` and `/etc/localtime`.
    public static var process: SystemZoneSources {
        SystemZoneSources(tz: ProcessInfo.processInfo.environment["TZ"])
    }
}

extension TimeZoneDatabase {
    /// The zone a policy without `time-zone` follows: `TZ` when it is set (a zone name, else a POSIX rule such as
    /// `EST5EDT,M3.2.0,M11.1.0`, else UTC, as glibc reads it), else the zone
    /// `/etc/localtime` links to, else `/etc/localtime` itself read as TZif (called `localtime`), else the name
    /// in Debian's `/etc/timezone`, else UTC. A source that names no valid zone is passed over. `/etc/localtime`
    /// comes first because it is what glibc reads, and so what `date`, cron and systemd follow.
    public func systemZone(_ sources: SystemZoneSources = .process) -> TimeZoneRules {
        if var tz = sources.tz {
            // As glibc reads TZ: a zone file, else a POSIX rule, else (empty or unknown) UTC.
            if tz.hasPrefix(":") { tz.removeFirst() }
            // `TZ=:/usr/share/zoneinfo/Europe/Berlin` names a zone by its path.
            if tz.hasPrefix(directory + "/") { tz.removeFirst(directory.count + 1) }
            if let zone = try? zone(named: tz) { return zone }
            if !tz.isEmpty, let rule = try? PosixTimeZoneRule(parsing: tz) {
                return TimeZoneRules(name: tz, posixRule: rule)
            }
            return universal
        }
        if let name = Self.zoneName(linkedFrom: sources.localtime), let zone = try? zone(named: name) {
            return zone
        }
        if let zone = try? zone(atPath: sources.localtime, name: "localtime") { return zone }
        if let line = Self.firstLine(of: sources.timezoneFile)?.trimmingWhitespace(),
            let zone = try? zone(named: line)
        {
            return zone
        }
        return universal
    }

    /// UTC from the zone files when they have it, else the built-in one.
    private var universal: TimeZoneRules { (try? zone(named: "Etc/UTC")) ?? (try? zone(named: "UTC")) ?? .utc }

    /// `Europe/Berlin` for a link to `…/zoneinfo/Europe/Berlin` (relative links resolved from the link's folder).
    static func zoneName(linkedFrom path: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        let absolute =
            target.hasPrefix("/")
            ? target : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(target).path
        let marker = "/zoneinfo/"
        guard let range = absolute.range(of: marker) else { return nil }
        var name = String(absolute[range.upperBound...])
        // Debian also ships copies under posix/; the name is the same zone.
        if name.hasPrefix("posix/") { name.removeFirst("posix/".count) }
        return name
    }
}

extension TimeZoneRules {
    /// The system's default zone, resolved now (see ``TimeZoneDatabase/systemZone(_:)``).
    public static var current: TimeZoneRules { TimeZoneDatabase.system.systemZone() }

    /// The zone `identifier` in the system database, or `nil` when there is no such zone.
    public init?(identifier: String) {
        guard let zone = try? TimeZoneDatabase.system.zone(named: identifier) else { return nil }
        self = zone
    }
}
